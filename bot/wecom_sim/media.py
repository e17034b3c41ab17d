"""Files members send to the app, and ``media/get``.

``POST /_sim/media`` with ``{"type": "image", "filename": "site.jpg", "content": "..."}``
(``content`` as text, stored UTF-8) keeps a file as if a member had just sent it and answers
its ``media_id``: deliver it in an image callback (``{"MsgType": "image", "MediaId": ...}``).
``GET /cgi-bin/media/get?access_token=&media_id=`` answers the bytes while WeCom keeps the
file (three days from when it was sent, on the simulator's clock), else errcode 40007.
"""

from __future__ import annotations

from aiohttp import web

from bot.wecom_sim.api import authenticate
from bot.wecom_sim.api_call import ApiError
from bot.wecom_sim.state import SIM_STATE

MEDIA_TYPES = ("image", "voice", "video", "file")


async def sent_by_member(request: web.Request) -> web.Response:
    try:
        body = await request.json()
    except ValueError:
        return web.json_response({"error": "body must be JSON"}, status=400)
    media_type = str(body.get("type", "image"))
    if media_type not in MEDIA_TYPES:
        return web.json_response({"error": f"type must be one of {MEDIA_TYPES}"}, status=400)
    content = str(body.get("content", "")).encode()
    filename = str(body.get("filename", "media"))
    media_id, _ = request.app[SIM_STATE].media.add(media_type, filename, len(content), content)
    return web.json_response({"media_id": media_id})


async def get_media(request: web.Request) -> web.Response:
    state = request.app[SIM_STATE]
    try:
        authenticate(state, request.query.get("access_token", ""))
        media = state.media.get(request.query.get("media_id", ""))
        if media is None:
            raise ApiError(40007, "invalid media_id")
    except ApiError as exc:
        return web.json_response(exc.payload())
    headers = {"Content-Disposition": f'attachment; filename="{media.filename}"'}
    return web.Response(body=media.content, content_type="image/jpeg", headers=headers)


def add_media_routes(app: web.Application) -> None:
    app.router.add_post("/_sim/media", sent_by_member)
    app.router.add_get("/cgi-bin/media/get", get_media)
