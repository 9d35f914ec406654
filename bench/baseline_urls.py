from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def ok(request: HttpRequest, token: str, score: int) -> JsonResponse:
    return JsonResponse({"ok": True, "score": score})


urlpatterns = [path("a/<str:token>/<int:score>/", ok)]
