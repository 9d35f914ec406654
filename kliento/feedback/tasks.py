"""Background work of the feedback domain."""

from __future__ import annotations

from django_tasks import task

from kliento.feedback import exports
from kliento.feedback.judging import retrain
from kliento.feedback.models import Classifier, RetrainState


@task()
def retrain_classifier(job_id: int) -> None:
    job = (Classifier.objects.select_related("workspace")
           .filter(pk=job_id, state=RetrainState.QUEUED).first())
    if job is not None:
        retrain(job)


@task()
def write_export(export_id: int) -> None:
    exports.write(export_id)


@task()
def remove_expired_exports() -> None:
    exports.remove_expired()
