"""Background work of the feedback domain."""

from __future__ import annotations

from django_tasks import task

from kliento.feedback.judging import retrain
from kliento.feedback.models import Classifier, RetrainState


@task()
def retrain_classifier(job_id: int) -> None:
    job = (Classifier.objects.select_related("workspace")
           .filter(pk=job_id, state=RetrainState.QUEUED).first())
    if job is not None:
        retrain(job)
