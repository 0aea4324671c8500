"""``socialcare replies`` and ``socialcare users``: the approval workflow from a terminal.

For teams without the web app yet. Who acts is ``--as`` (or ``SOCIALCARE_USER``): the terminal trusts its
user as the database does, so the same rules (roles, no self-approval, audit) apply as everywhere else.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from socialcare.console import err, friendly_errors, load_settings, out

replies_app = typer.Typer(help="Reply drafts, approval and posting, with the audit trail.", no_args_is_help=True)
users_app = typer.Typer(help="socialcare users and their roles (agent, approver, admin).", no_args_is_help=True)

Actor = Annotated[str, typer.Option("--as", envvar="SOCIALCARE_USER", help="Who acts (a socialcare user).")]
ReplyId = Annotated[str, typer.Argument(help="The reply id, e.g. reply:0123abcd4567ef89.")]


def _store() -> Any:
    from responders.approval import ReplyStore
    from socialcare.runtime import open_engine

    return ReplyStore(open_engine(load_settings()))


def _show_state(reply: Any) -> None:
    out.print(f"reply={reply.id} status={reply.status} version={reply.version}", highlight=False)


# users -------------------------------------------------------------------------------------------
@users_app.command("add")
def users_add(
    user: Annotated[str, typer.Argument(help="The user's name, e.g. alice.")],
    role: Annotated[str, typer.Option(help="agent (drafts), approver or admin (also approve and reject).")] = "agent",
    by: Annotated[str, typer.Option("--by", envvar="SOCIALCARE_USER", help="Who adds them, for the audit log.")] = (
        "system"
    ),
    password: Annotated[
        bool, typer.Option("--password", help="Also set a password for the web app (asked twice, not echoed).")
    ] = False,
) -> None:
    """Add a user or change their role; with --password they can sign in to the web app."""
    if role not in {"agent", "approver", "admin"}:
        err.print(f"[bold red]error:[/] role must be agent, approver or admin, not {role!r}", highlight=False)
        raise typer.Exit(2)
    secret = typer.prompt("password", hide_input=True, confirmation_prompt=True) if password else None
    with friendly_errors():
        store = _store()
        store.add_user(user, role, by=by)
        if secret is not None:
            from dashboards.accounts import set_password

            set_password(store.engine, user, secret)
    out.print(f"user={user} role={role} web_sign_in={'yes' if secret else 'no'}", highlight=False)


# replies -----------------------------------------------------------------------------------------
@replies_app.command("list")
def replies_list(
    status: Annotated[str | None, typer.Option(help="Only replies in this state, e.g. pending_approval.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 50,
) -> None:
    """List replies, newest first, with their state."""
    from rich.table import Table

    with friendly_errors():
        found = _store().recent(status, limit)
    table = Table()
    for name in ("reply", "status", "platform", "case"):
        table.add_column(name, no_wrap=True)  # ids are copied into the next command: never broken
    for name in ("author", "approved by", "text"):
        table.add_column(name)
    for reply in found:
        text = reply.text if len(reply.text) <= 60 else reply.text[:59] + "…"
        table.add_row(
            reply.id, reply.status, reply.platform, reply.case_id, reply.author, reply.approved_by or "", text
        )
    out.print(table)
    out.print(f"replies={len(found)}", highlight=False)


@replies_app.command("show")
def replies_show(reply_id: ReplyId) -> None:
    """Show a reply in full with its audit trail."""
    with friendly_errors():
        store = _store()
        reply = store.get(reply_id)
        trail = store.audit(reply_id)
    for name in ("id", "case_id", "platform", "in_reply_to_id", "status", "author", "approved_by", "reason"):
        out.print(f"{name:<16} {getattr(reply, name) or ''}", highlight=False)
    if reply.platform_post_id:
        out.print(
            f"{'posted':<16} {reply.platform_post_id} {reply.platform_url or ''} at {reply.posted_at}", highlight=False
        )
    out.print(f"\n{reply.text}\n", highlight=False)
    for row in trail:
        out.print(
            f"{row['at']:%Y-%m-%d %H:%M:%S} {row['actor']:<12} {row['action']:<14} {row['outcome']}", highlight=False
        )


@replies_app.command("draft")
def replies_draft(
    case_id: Annotated[str, typer.Argument(help="The case to answer, e.g. case:x:1578511538419212288.")],
    actor: Actor,
    text: Annotated[str | None, typer.Option(help="The reply; default: drafted from the templates.")] = None,
    situation: Annotated[str, typer.Option(help="Template situation, e.g. delay, refund, outage.")] = "general",
    reference: Annotated[str | None, typer.Option(help="An order or ticket reference for the template.")] = None,
    signature: Annotated[str | None, typer.Option(help="The agent's initials, signed as ^AB.")] = None,
    templates: Annotated[str | None, typer.Option(help="Your own template folder (overrides the library).")] = None,
) -> None:
    """Draft a reply to a case: to the customer's newest post, from the templates or your text."""
    from pathlib import Path

    from responders.case_target import draft_for_case
    from responders.drafts import TemplateLibrary

    with friendly_errors():
        library = TemplateLibrary(Path(templates) if templates else None)
        reply = draft_for_case(
            _store(),
            case_id,
            actor,
            text,
            situation=situation,
            library=library,
            reference=reference,
            signature=signature,
        )
    _show_state(reply)
    out.print(reply.text, highlight=False)


@replies_app.command("edit")
def replies_edit(reply_id: ReplyId, actor: Actor, text: Annotated[str, typer.Option(help="The new text.")]) -> None:
    """Change a reply's text (an approved reply goes back for approval)."""
    with friendly_errors():
        _show_state(_store().edit(reply_id, actor, text))


@replies_app.command("submit")
def replies_submit(reply_id: ReplyId, actor: Actor) -> None:
    """Send a draft for approval by a second person."""
    with friendly_errors():
        _show_state(_store().submit(reply_id, actor))


@replies_app.command("approve")
def replies_approve(reply_id: ReplyId, actor: Actor) -> None:
    """Approve a reply someone else wrote; it is queued for the responder (replies.approved)."""
    with friendly_errors():
        store = _store()
        reply = store.approve(reply_id, actor)
        sent = _publish(store)
    _show_state(reply)
    out.print(f"published={len(sent)}", highlight=False)


@replies_app.command("reject")
def replies_reject(
    reply_id: ReplyId, actor: Actor, reason: Annotated[str, typer.Option(help="Why, for the author.")]
) -> None:
    """Send a reply back to its author with the reason."""
    with friendly_errors():
        _show_state(_store().reject(reply_id, actor, reason))


@replies_app.command("publish")
def replies_publish() -> None:
    """Send the event of every approved reply not yet sent (after a crash between approval and send)."""
    with friendly_errors():
        sent = _publish(_store())
    out.print(f"published={len(sent)}", highlight=False)


def _publish(store: Any) -> list[str]:
    from responders.outbox import publish_approved
    from socialcare.bus.factory import open_transport
    from socialcare.topics import all_topics_with_dlq

    transport = open_transport(load_settings(), store.engine)
    try:
        transport.ensure_topics(all_topics_with_dlq())
        with transport.producer() as producer:
            return publish_approved(store, producer)
    finally:
        transport.close()
