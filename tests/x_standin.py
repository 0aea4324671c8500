"""A local stand-in for X's write endpoint (``POST /2/tweets``) and the reads a reconcile makes
(``GET /2/users/me``, ``GET /2/users/:id/tweets``), served on 127.0.0.1 for the real tweepy client.

Its answers follow X API v2's documented shapes: 201 ``{"data": {"id", "text"}}`` for a new post, the
account's posts newest first with ``created_at`` and ``referenced_tweets``, and errors as
``{"title", "detail", "status"}``. Post ids are snowflakes, so their time can be read back from the id.
``answers`` queues canned answers for the next posts (a 429, a 503, a 403 duplicate); ``on_post`` is
called at each phase of a post ("received", "stored", "answered"), where a test can kill the client; a
hook that raises :class:`DropRequestError` at "received" drops the request unanswered and unposted.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ACCOUNT_ID = "1460000000000000001"
TWITTER_EPOCH_MS = 1288834974657


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client killed mid-request resets its connection: expected here, not worth a traceback."""


class DropRequestError(Exception):
    """Raised by an ``on_post`` hook: close the connection without posting or answering."""


class XStandIn:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.answers: deque[tuple[int, dict[str, Any], dict[str, str]]] = deque()
        self.on_post: Callable[[str], None] | None = None
        self.requests: list[tuple[str, str, Any]] = []
        self._lock = threading.Lock()
        self._sequence = 0
        self._server = _QuietServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def __enter__(self) -> XStandIn:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def replies_to(self, post_id: str) -> list[dict[str, Any]]:
        with self._lock:
            return [post for post in self.posts if post["in_reply_to"] == post_id]

    # ------------------------------------------------------------------------------------------------
    def _create(self, body: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            self._sequence += 1
            now = datetime.now(UTC)
            post_id = str(((int(now.timestamp() * 1000) - TWITTER_EPOCH_MS) << 22) | self._sequence)
            post = {
                "id": post_id,
                "text": body["text"],
                "in_reply_to": (body.get("reply") or {}).get("in_reply_to_tweet_id"),
                "created_at": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
            }
            self.posts.append(post)
            return post

    def _timeline(self, query: dict[str, list[str]]) -> dict[str, Any]:
        since = query.get("start_time", [""])[0]
        limit = int(query.get("max_results", ["10"])[0])
        with self._lock:
            posts = [post for post in reversed(self.posts) if post["created_at"] >= since][:limit]
        data = []
        for post in posts:
            item = {
                "id": post["id"],
                "text": post["text"],
                "created_at": post["created_at"],
                "edit_history_tweet_ids": [post["id"]],
            }
            if post["in_reply_to"]:
                item["referenced_tweets"] = [{"type": "replied_to", "id": post["in_reply_to"]}]
            data.append(item)
        return {"data": data, "meta": {"result_count": len(data)}} if data else {"meta": {"result_count": 0}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # answers at once, not after a delayed ACK

            def log_message(self, *_: Any) -> None:  # quiet
                pass

            def _answer(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(payload)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(payload)
                self.wfile.flush()

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                standin.requests.append(("GET", url.path, parse_qs(url.query)))
                if url.path == "/2/users/me":
                    self._answer(200, {"data": {"id": ACCOUNT_ID, "name": "Lumora Care", "username": "LumoraCare"}})
                elif url.path == f"/2/users/{ACCOUNT_ID}/tweets":
                    self._answer(200, standin._timeline(parse_qs(url.query)))
                else:
                    self._answer(404, {"title": "Not Found Error", "detail": url.path, "status": 404})

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))) or b"{}")
                standin.requests.append(("POST", self.path, body))
                hook = standin.on_post or (lambda phase: None)
                try:
                    hook("received")
                except DropRequestError:
                    self.close_connection = True
                    return
                if standin.answers:
                    self._answer(*standin.answers.popleft())
                    return
                post = standin._create(body)
                hook("stored")
                self._answer(
                    201, {"data": {"id": post["id"], "text": post["text"], "edit_history_tweet_ids": [post["id"]]}}
                )
                hook("answered")

        return Handler
