"""Every voice's words are judged in the loop: language, sentiment, themes, mixed."""

from __future__ import annotations

import pytest

from kliento.alerts import services as alerts
from kliento.alerts.models import Alert
from kliento.feedback.judging import classifier_of, ensure_default_themes, save_theme
from kliento.feedback.models import Classifier, Correction, Feedback

pytestmark = pytest.mark.django_db


def say(api, run_tasks, text, **extra):
    with run_tasks():
        r = api.post("/feedback", {"customer": {"email": extra.pop("email", "k@example.lv")},
                                   "text": text, **extra})
    assert r.status_code == 201, r.content
    return Feedback.objects.get(pk=r.json()["id"])


@pytest.mark.parametrize(("text", "language"), [
    ("Kurjers kavējās trīs dienas un paka bija saplīsusi.", "lv"),
    ("Достава је каснила недељу дана, веома сам незадовољан.", "sr"),
    ("Dostava je kasnila nedelju dana, veoma sam nezadovoljan.", "sr-latn"),
    ("Kuller hilines kolm päeva ja keegi ei vastanud telefonile.", "et"),
])
def test_words_without_a_score_decide_polarity_and_language(world, api, run_tasks, text,
                                                            language):
    fb = say(api, run_tasks, text)
    assert fb.language == language
    assert (fb.text_polarity, fb.polarity) == ("negative", "negative")
    assert fb.analysed_at is not None and not fb.mixed


def test_five_stars_with_angry_words_is_mixed_and_can_alert(world, api, run_tasks):
    alerts.save_rule(workspace=world.acme, actor=None, data=alerts.RuleInput(
        name="Mixed", conditions={"mixed": True}, channel_ids=[]))
    fb = say(api, run_tasks, "Достава је каснила недељу дана, веома сам незадовољан.",
             score=5, scale="csat")
    assert fb.polarity == "positive" and fb.text_polarity == "negative" and fb.mixed
    assert Alert.objects.get().feedback == fb


def test_a_comment_added_later_is_judged_and_can_alert(world, api, run_tasks, client):
    from tests.surveys.conftest import path_of

    alerts.save_rule(workspace=world.acme, actor=None, data=alerts.RuleInput(
        name="Words", conditions={"text_polarity": ["negative"]}, channel_ids=[]))
    survey = api.post("/surveys", {"name": "s", "kind": "csat"}).json()
    inv = api.post(f"/surveys/{survey['id']}/invitations",
                   {"customer": {"email": "a@example.rs"}}).json()[0]
    with run_tasks():
        client.post(path_of(inv["links"]["4"]))
    assert Alert.objects.count() == 0
    with run_tasks():
        client.post(path_of(inv["links"]["4"]).replace("/4/", "/comment/"),
                    {"text": "Dostava je kasnila nedelju dana, veoma sam nezadovoljan."})
    fb = Feedback.objects.get()
    assert fb.text_polarity == "negative" and fb.mixed  # 4/5 is positive, the words are not
    assert Alert.objects.get().feedback == fb
    with run_tasks():  # processing again never alerts twice
        from kliento.loop import process_feedback

        process_feedback.call(fb.pk)
    assert Alert.objects.count() == 1


@pytest.mark.parametrize("text", ["🙂🙂👍", "<p>Hello <b>there</b></p>", "x" * 10_000,
                                  "Sveiki! Dzień dobry! Tere! Jó napot! Здраво!", "   ."])
def test_odd_text_never_breaks_processing(world, api, run_tasks, text):
    fb = say(api, run_tasks, text)
    assert fb.analysed_at is not None and fb.processed_at is not None
    assert fb.text_polarity in ("negative", "neutral", "positive", "")


def test_a_theme_defined_in_english_finds_a_hungarian_complaint(world, api, run_tasks):
    save_theme(workspace=world.acme, key="parking", name="Parking",
               examples=["no parking space", "could not find a place to park the car"])
    fb = say(api, run_tasks, "Nem találtam parkolóhelyet az üzlet előtt, fél órát köröztem.")
    assert "parking" in [t["key"] for t in fb.themes]


def test_corrections_are_kept_and_retraining_uses_them(world, api, run_tasks, signed_in):
    ensure_default_themes(world.acme)
    texts = [f"Paldies, viss kārtībā, pasūtījums nr. {n} saņemts laikā." for n in range(12)]
    ids = [say(api, run_tasks, t, email=f"c{n}@example.lv").pk for n, t in enumerate(texts)]
    r = api.post(f"/feedback/{ids[0]}/corrections", {"polarity": "positive",
                                                     "themes": ["delivery"]})
    assert r.status_code == 201, r.content
    assert r.json()["text_polarity"] == "positive"
    assert r.json()["themes"] == [{"key": "delivery", "score": 1.0}]
    bad = api.post(f"/feedback/{ids[0]}/corrections", {"themes": ["weather"]})
    assert bad.status_code == 422
    carol = signed_in(world.carol)
    r = carol.post("/settings/text/", {"action": "retrain"}, follow=True)
    assert "at least 10" in r.content.decode()
    for pk in ids[1:]:
        r = carol.post(f"/feedback/{pk}/correct/", {"polarity": "positive"},
                       HTTP_HX_REQUEST="true")
        assert r.status_code == 200 and f'id="feedback-{pk}"' in r.content.decode()
    assert Correction.objects.count() == 12
    with run_tasks():
        carol.post("/settings/text/", {"action": "retrain"})
    job = Classifier.objects.get()
    assert (job.state, job.progress, job.examples, job.is_current) == ("done", 100, 12, True)
    assert classifier_of(world.acme) is not None
    assert "in use" in carol.get("/settings/text/").content.decode()
    carol.post("/settings/text/", {"action": "revert"})
    assert classifier_of(world.acme) is None
    assert signed_in(world.alice).get("/settings/text/").status_code == 403


def test_corrections_never_cross_workspaces(world, api, other_api, run_tasks):
    fb = say(api, run_tasks, "Labi")
    assert other_api.post(f"/feedback/{fb.pk}/corrections",
                          {"polarity": "negative"}).status_code == 404
    assert not Correction.objects.exists()
