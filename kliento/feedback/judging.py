"""Judging a voice's words: text analysis applied to Feedback, corrections, retraining.

The analysis itself lives in kliento.text (pure Python, offline); this module feeds it the
workspace's languages, themes and classifier, and keeps what it finds on the Feedback.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kliento import text
from kliento.core.models import User, Workspace
from kliento.feedback.models import (
    Channel,
    Classifier,
    Correction,
    Feedback,
    Polarity,
    RetrainState,
    Theme,
)

log = logging.getLogger(__name__)

# Below this confidence the words alone do not decide a feedback's polarity.
MIN_CONFIDENCE_FOR_POLARITY = 0.45
MIN_CORRECTIONS_TO_RETRAIN = 10
LANGUAGES = [code for code, _name in settings.LANGUAGES]

_classifiers: dict[int, tuple[int, text.SentimentClassifier]] = {}
_lock = threading.Lock()


def ensure_default_themes(workspace: Workspace) -> None:
    """The default themes (waiting time, staff attitude, …) for a workspace that has none."""
    if Theme.objects.for_workspace(workspace).exists():
        return
    Theme.objects.bulk_create([
        Theme(workspace=workspace, key=t.key, name=t.name, examples=list(t.examples))
        for t in text.DEFAULT_THEMES
    ], ignore_conflicts=True)


def themes_of(workspace: Workspace) -> list[text.Theme]:
    return [text.Theme(t.key, t.name, list(t.examples))
            for t in Theme.objects.for_workspace(workspace).filter(is_active=True)]


def classifier_of(workspace: Workspace) -> text.SentimentClassifier | None:
    """The workspace's retrained classifier, cached per process until a newer one exists."""
    current = (Classifier.objects.for_workspace(workspace).filter(is_current=True)
               .values_list("pk", flat=True).first())
    if current is None:
        return None
    cached = _classifiers.get(workspace.pk)
    if cached is not None and cached[0] == current:
        return cached[1]
    weights = Classifier.objects.get(pk=current).weights
    model = text.SentimentClassifier.from_bytes(bytes(weights)) if weights else None
    if model is not None:
        with _lock:
            _classifiers[workspace.pk] = (current, model)
    return model


def analyse_feedback(feedback: Feedback) -> Feedback:
    """Language, sentiment and themes of the feedback's words; flags `mixed` disagreement.

    Never raises on odd text (the analysis handles empty, emoji, HTML, very long input); a
    failure of the analysis itself is logged and leaves the feedback unjudged by words.
    """
    ws = feedback.workspace
    feedback.analysed_at = timezone.now()
    if not feedback.text.strip():
        feedback.save(update_fields=["analysed_at"])
        return feedback
    try:
        [result] = text.analyse([feedback.text], languages=LANGUAGES, themes=themes_of(ws),
                                classifier=classifier_of(ws),
                                is_email=feedback.channel == Channel.EMAIL)
    except Exception:
        log.exception("text analysis of feedback %s failed", feedback.pk)
        feedback.save(update_fields=["analysed_at"])
        return feedback
    _keep(feedback, result)
    return feedback


def analyse_history(workspace: Workspace, feedbacks: list[Feedback]) -> int:
    """`analyse_feedback` for many voices of one workspace at once (a history loaded in
    bulk): the text model embeds them in batches, many times faster than one by one, and
    each distinct text is analysed once. Returns how many were judged by their words."""
    todo = [f for f in feedbacks if f.text.strip() and f.analysed_at is None]
    themes, classifier = themes_of(workspace), classifier_of(workspace)
    for is_email in (True, False):
        group = [f for f in todo if (f.channel == Channel.EMAIL) == is_email]
        distinct = sorted({f.text for f in group})
        results = dict(zip(distinct, text.analyse(
            distinct, languages=LANGUAGES, themes=themes, classifier=classifier,
            is_email=is_email), strict=True))
        for feedback in group:
            feedback.analysed_at = timezone.now()
            _keep(feedback, results[feedback.text])
    return len(todo)


def _keep(feedback: Feedback, result: text.TextAnalysis) -> None:
    fields = ["analysed_at"]
    feedback.text_polarity = result.polarity
    feedback.text_confidence = round(result.confidence, 3)
    feedback.themes = [{"key": k, "score": round(s, 3)} for k, s in result.themes]
    fields += ["text_polarity", "text_confidence", "themes"]
    if not feedback.language and result.language_tag != "und":
        feedback.language = result.language_tag
        fields.append("language")
    if feedback.score is None and (result.confidence >= MIN_CONFIDENCE_FOR_POLARITY
                                   or not feedback.polarity):
        feedback.polarity = result.polarity
        fields.append("polarity")
    feedback.mixed = _disagree(feedback.polarity, result.polarity, result.confidence,
                               has_score=feedback.score is not None)
    fields.append("mixed")
    feedback.save(update_fields=fields)


def _disagree(score_polarity: str, text_polarity: str, confidence: float, *,
              has_score: bool) -> bool:
    """Five stars and angry words (or the reverse): opposite ends, and the words are clear."""
    if not has_score or confidence < MIN_CONFIDENCE_FOR_POLARITY:
        return False
    return {score_polarity, text_polarity} == {Polarity.NEGATIVE, Polarity.POSITIVE}


def correct(*, feedback: Feedback, user: User | None, polarity: str = "",
            themes: list[str] | None = None) -> Correction:
    """A person says what the words really mean; kept for retraining, applied at once."""
    if polarity and polarity not in Polarity.values:
        raise ValidationError({"polarity": _("Polarity is one of negative, neutral, positive.")})
    known = set(Theme.objects.for_workspace(feedback.workspace).values_list("key", flat=True))
    if themes is not None and set(themes) - known:
        raise ValidationError({"themes": _("Unknown theme “%(value)s”.")
                               % {"value": sorted(set(themes) - known)[0]}})
    if not polarity and themes is None:
        raise ValidationError(_("Correct the sentiment, the themes, or both."))
    with transaction.atomic():
        correction = Correction.objects.create(
            workspace=feedback.workspace, feedback=feedback, corrected_by=user,
            polarity=polarity, themes=themes if themes is not None else [],
            was_polarity=feedback.text_polarity,
            was_themes=[t["key"] for t in feedback.themes if isinstance(t, dict)])
        if polarity:
            feedback.text_polarity = polarity
            if feedback.score is None:
                feedback.polarity = polarity
        if themes is not None:
            feedback.themes = [{"key": k, "score": 1.0} for k in themes]
        feedback.mixed = _disagree(feedback.polarity, feedback.text_polarity, 1.0,
                                   has_score=feedback.score is not None)
        feedback.save(update_fields=["text_polarity", "polarity", "themes", "mixed"])
    return correction


def start_retraining(*, workspace: Workspace) -> Classifier:
    """Queue a retraining of the workspace's classifier from all its sentiment corrections."""
    examples = _training_set(workspace)
    if len(examples) < MIN_CORRECTIONS_TO_RETRAIN:
        raise ValidationError(_("Retraining needs at least %(n)s corrected sentiments; "
                                "there are %(have)s.")
                              % {"n": MIN_CORRECTIONS_TO_RETRAIN, "have": len(examples)})
    if Classifier.objects.for_workspace(workspace).filter(
            state__in=[RetrainState.QUEUED, RetrainState.RUNNING]).exists():
        raise ValidationError(_("A retraining is already under way."))
    job = Classifier.objects.create(workspace=workspace, examples=len(examples))
    from kliento.core.tasks import enqueue_on_commit
    from kliento.feedback.tasks import retrain_classifier

    enqueue_on_commit(retrain_classifier, job.pk)
    return job


def _training_set(workspace: Workspace) -> list[tuple[str, str]]:
    """(text, label) of the newest correction of each corrected feedback."""
    latest: dict[int, tuple[str, str]] = {}
    rows = (Correction.objects.for_workspace(workspace).exclude(polarity="")
            .select_related("feedback").order_by("created_at"))
    for c in rows:
        if c.feedback.text.strip():
            latest[c.feedback_id] = (c.feedback.text, c.polarity)
    return list(latest.values())


def retrain(job: Classifier, progress: Callable[[int], Any] | None = None) -> Classifier:
    examples = _training_set(job.workspace)
    texts = [t for t, _label in examples]
    labels = [label for _t, label in examples]
    job.state = RetrainState.RUNNING
    job.save(update_fields=["state"])

    def report(done: int, total: int) -> None:
        percent = int(100 * done / max(total, 1))
        Classifier.objects.filter(pk=job.pk).update(progress=percent)
        if progress:
            progress(percent)

    try:
        model = text.fit_corrections(text.SentimentClassifier.load_default(), texts, labels,
                                     progress=report)
    except Exception as exc:
        log.exception("retraining %s failed", job.pk)
        job.state = RetrainState.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        job.finished_at = timezone.now()
        job.save(update_fields=["state", "error", "finished_at"])
        return job
    with transaction.atomic():
        Classifier.objects.for_workspace(job.workspace).filter(is_current=True).update(
            is_current=False)
        job.weights = model.to_bytes()
        job.state = RetrainState.DONE
        job.progress = 100
        job.examples = len(texts)
        job.is_current = True
        job.finished_at = timezone.now()
        job.save()
    return job


def revert_to_shipped(*, workspace: Workspace) -> None:
    Classifier.objects.for_workspace(workspace).filter(is_current=True).update(is_current=False)


def theme_names(workspace: Workspace) -> dict[str, str]:
    return dict(Theme.objects.for_workspace(workspace).values_list("key", "name"))


def save_theme(*, workspace: Workspace, key: str, name: str, examples: list[str],
               is_active: bool = True) -> Theme:
    """Add or change a theme; examples in any language, one phrase each."""
    from django.utils.text import slugify

    name = name.strip()[:100]
    key = slugify(key or name).replace("-", "_")[:50]
    clean = [e.strip()[:200] for e in examples if e.strip()][:50]
    if not name or not key:
        raise ValidationError({"name": _("A theme needs a name.")})
    if not clean:
        raise ValidationError({"examples": _("Give at least one example phrase.")})
    theme, _created = Theme.objects.update_or_create(
        workspace=workspace, key=key,
        defaults={"name": name, "examples": clean, "is_active": is_active})
    return theme
