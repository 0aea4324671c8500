"""docker-compose.yml and the Dockerfile, checked against the Compose Specification and against the code.

No container runs here: the file is validated with the official JSON schema, every ``SOCIALCARE_*`` value
is fed to :class:`Settings`, every app command is parsed by the real CLI, and the wiring between services
(health checks, volumes, secrets, URLs) is checked the way ``docker compose up`` would rely on it.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args
from urllib.parse import urlsplit

import jsonschema
import pytest
import typer
import yaml
from pydantic import SecretStr
from sqlalchemy.engine import make_url
from typer.core import TyperGroup
from typer.testing import CliRunner

from socialcare.cli import app
from socialcare.settings import Settings
from socialcare.stages import STAGES

REPO = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPO / "docker-compose.yml"
DOCKERFILE = REPO / "Dockerfile"
DOCKERIGNORE = REPO / ".dockerignore"
APP_IMAGE = "socialcare:latest"
TORCH_PIN = "torch==2.13.0"
TORCH_INDEX = "--index-url https://download.pytorch.org/whl/cpu"

SECRET_NAME = re.compile(r"PASSWORD|TOKEN|SECRET|API_KEY|PRIVATE_KEY", re.IGNORECASE)
# Secrets that may fall back to a literal default: POSTGRES_PASSWORD only. That database belongs to this
# local stack (published on 127.0.0.1 only), and the default lets `docker compose up` work with no .env;
# anything shared sets it in .env. Platform credentials (X, Reddit) never get a default.
LOCAL_DEFAULT_SECRETS = {"POSTGRES_PASSWORD"}
# ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error}, ${VAR?error}; $$ is an escaped dollar.
INTERPOLATION = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


# helpers -----------------------------------------------------------------------------------------
def interpolate(value: str) -> str:
    """What Compose puts in the container when the host sets none of the variables: the defaults."""

    def substitute(match: re.Match[str]) -> str:
        op = match["op"] or ""
        if op.endswith("?"):
            raise AssertionError(f"{value!r} requires {match['name']}; the stack should start without it")
        return match["arg"] if op.endswith("-") else ""

    # protect escaped dollars first, so "$${X}" stays the literal "${X}" for the container's shell
    return INTERPOLATION.sub(substitute, value.replace("$$", "\0")).replace("\0", "$")


def interpolate_all(node: Any) -> Any:
    if isinstance(node, str):
        return interpolate(node)
    if isinstance(node, dict):
        return {key: interpolate_all(value) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate_all(item) for item in node]
    return node


def environment(service: dict[str, Any]) -> dict[str, str | None]:
    env = service.get("environment") or {}
    if isinstance(env, list):  # ["KEY=value", "KEY"] form
        return {k: (v if sep else None) for k, sep, v in (item.partition("=") for item in env)}
    return {key: None if value is None else str(value) for key, value in env.items()}


def is_app_service(service: dict[str, Any]) -> bool:
    return service.get("image") == APP_IMAGE or "build" in service


def socialcare_variables(services: dict[str, Any]) -> Iterator[tuple[str, str, str | None]]:
    for name, service in services.items():
        for key, value in environment(service).items():
            if key.startswith("SOCIALCARE_"):
                yield name, key, value


def field_of(variable: str) -> str:
    return variable.removeprefix("SOCIALCARE_").lower()


def depends_on(service: dict[str, Any]) -> dict[str, dict[str, Any]]:
    deps = service.get("depends_on") or {}
    if isinstance(deps, list):  # short form means service_started
        return {dep: {"condition": "service_started"} for dep in deps}
    return {dep: spec or {"condition": "service_started"} for dep, spec in deps.items()}


def named_volume_sources(service: dict[str, Any]) -> set[str]:
    sources: set[str] = set()
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, sep, _target = volume.partition(":")
            if sep and not source.startswith((".", "/", "~", "$")):
                sources.add(source)
        elif volume.get("type", "volume") == "volume" and volume.get("source"):
            sources.add(volume["source"])
    return sources


# Typer may vendor click (typer 0.2x ships its own copy), so take its classes from typer, never from click.
UsageError = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError")


def resolve_cli(args: list[str]) -> typer.Context:
    """Parse ``socialcare ARGS`` exactly as the CLI would (arguments, options, types), without running it."""
    command: Any = typer.main.get_command(app)
    context = typer.Context(command, info_name="socialcare")
    rest = list(args)
    while isinstance(command, TyperGroup):
        assert rest, f"socialcare {' '.join(args)} stops at a command group"
        name, rest = rest[0], rest[1:]
        command = command.get_command(context, name)
        assert command is not None, f"socialcare has no command {name!r} (in {' '.join(args)!r})"
        context = typer.Context(command, info_name=name, parent=context)
    parsed: typer.Context = command.make_context(context.info_name, rest, parent=context.parent)
    return parsed


# fixtures ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    document = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, Any]:
    services: dict[str, Any] = compose["services"]
    return services


@pytest.fixture(scope="module")
def app_services(services: dict[str, Any]) -> dict[str, Any]:
    found = {name: service for name, service in services.items() if is_app_service(service)}
    assert {"migrate", "worker-store"} <= set(found)
    return found


@pytest.fixture(scope="module")
def pyproject() -> dict[str, Any]:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


# the Compose Specification -----------------------------------------------------------------------
def test_compose_file_validates_against_the_compose_specification(shared_data: Path, compose: dict[str, Any]) -> None:
    schema_path = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "compose-spec.json"
    assert schema_path.parent == shared_data
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    # Compose interpolates before it validates; check what it would check.
    errors = sorted(validator.iter_errors(interpolate_all(compose)), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def test_the_schema_check_catches_a_mistake(shared_data: Path, compose: dict[str, Any]) -> None:
    """Guards the test above: a misspelt key must fail, or the validation proves nothing."""
    schema = json.loads((shared_data / "compose-spec.json").read_text(encoding="utf-8"))
    broken = json.loads(json.dumps(compose))
    broken["services"]["postgres"]["healthcheck"]["intervall"] = "5s"
    assert list(jsonschema.Draft7Validator(schema).iter_errors(interpolate_all(broken)))


def test_compose_file_has_no_version_key_and_expected_services(compose: dict[str, Any]) -> None:
    assert "version" not in compose
    assert {"kafka", "postgres", "elasticsearch", "kibana", "prefect-server", "migrate"} <= set(compose["services"])


def test_interpolation_helper() -> None:
    assert interpolate("a${X:-b}c${Y}d${Z-e}") == "abcde"
    assert interpolate("pg_isready -U $${POSTGRES_USER}") == "pg_isready -U ${POSTGRES_USER}"


# settings ----------------------------------------------------------------------------------------
def test_every_socialcare_variable_is_a_setting_and_its_value_validates(services: dict[str, Any]) -> None:
    checked = 0
    for service, variable, value in socialcare_variables(services):
        field = field_of(variable)
        assert field in Settings.model_fields, f"{service}: {variable} is not a field of Settings"
        if value is None:  # passed through from the host, unset when the host has none
            continue
        resolved = interpolate(value)  # a literal stays as is; an interpolation gets its default
        assert resolved != "", (
            f"{service}: {variable} becomes the empty string when the host does not set it; Settings reads "
            "that as a value, not as unset: write the key without a value to pass it through"
        )
        Settings.model_validate({field: resolved})  # raises ValidationError on a bad value
        checked += 1
    assert checked >= 4


def test_app_environment_configures_kafka_and_postgresql(
    app_services: dict[str, Any], services: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The whole environment of each app service, read the way the container reads it (from env vars)."""
    monkeypatch.chdir(tmp_path)  # no .env from the working copy
    postgres = {key: interpolate(value or "") for key, value in environment(services["postgres"]).items()}
    for name, service in app_services.items():
        with monkeypatch.context() as env:
            for variable in Settings.model_fields:
                env.delenv(f"SOCIALCARE_{variable.upper()}", raising=False)
            for key, value in environment(service).items():
                if value is not None:
                    env.setenv(key, interpolate(value))
            settings = Settings()
        assert settings.uses_kafka, name
        assert settings.topic_replication == 1, f"{name}: the compose Kafka is a single node"
        url = make_url(settings.effective_database_url)
        assert url.drivername == "postgresql+psycopg", name  # psycopg: the `postgres` extra in the image
        assert url.host == "postgres" and (url.port or 5432) == 5432, name
        assert url.username == postgres["POSTGRES_USER"], f"{name}: user differs from the postgres service"
        assert url.password == postgres["POSTGRES_PASSWORD"], f"{name}: password differs from postgres"
        assert url.database == postgres["POSTGRES_DB"], f"{name}: database differs from the postgres service"
        assert settings.kafka_bootstrap is not None
        for server in settings.kafka_bootstrap.split(","):
            host, _, _port = server.rpartition(":")
            assert host in services, f"{name}: Kafka bootstrap {server} is not a compose service"
            advertised = environment(services[host])["KAFKA_ADVERTISED_LISTENERS"] or ""
            assert f"//{server}" in advertised, f"{name}: {server} is not an advertised Kafka listener"
        if settings.es_url:
            assert urlsplit(settings.es_url).hostname in services, (
                f"{name}: {settings.es_url} does not name a compose service"
            )


# commands ----------------------------------------------------------------------------------------
def test_every_app_command_is_a_real_socialcare_command(app_services: dict[str, Any]) -> None:
    runner = CliRunner()
    for name, service in app_services.items():
        command = service.get("command")
        assert isinstance(command, list) and command, f"{name}: give the command in exec (list) form"
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, f"{name}: socialcare {' '.join(command)} --help\n{result.output}"
        resolve_cli(command)  # also the arguments: --help alone accepts a missing or unknown one


def test_resolve_cli_rejects_what_the_cli_rejects() -> None:
    with pytest.raises(UsageError, match="stage"):
        resolve_cli(["worker"])  # missing STAGE
    with pytest.raises(UsageError, match="no-such-option"):
        resolve_cli(["worker", "store", "--no-such-option"])
    with pytest.raises(UsageError):
        resolve_cli(["worker", "store", "--batch-size", "many"])
    assert resolve_cli(["worker", "store"]).params["stage"] == "store"
    with pytest.raises(AssertionError):
        resolve_cli(["no-such-command"])


def test_every_stage_has_a_worker_service_and_nothing_else(services: dict[str, Any]) -> None:
    workers = {name.removeprefix("worker-"): s for name, s in services.items() if name.startswith("worker-")}
    assert set(workers) == set(STAGES), "one worker-<stage> service per registered stage, and no other"
    for stage, service in workers.items():
        assert service["command"] == ["worker", stage]
        assert service["restart"] == "unless-stopped"
        deps = depends_on(service)
        assert deps["kafka"]["condition"] == "service_healthy"
        assert deps["migrate"]["condition"] == "service_completed_successfully"


def test_migrate_runs_once_after_postgres(services: dict[str, Any]) -> None:
    migrate = services["migrate"]
    assert migrate["command"] == ["db", "upgrade"]
    assert migrate["restart"] == "no"
    assert depends_on(migrate)["postgres"]["condition"] == "service_healthy"


def test_app_services_share_one_image_and_build(app_services: dict[str, Any]) -> None:
    for name, service in app_services.items():
        assert service["image"] == APP_IMAGE, name
        build = service["build"]
        assert (REPO / build["context"] / build.get("dockerfile", "Dockerfile")).resolve() == DOCKERFILE, name


# wiring ------------------------------------------------------------------------------------------
def test_dependencies_exist_and_healthy_means_a_healthcheck(services: dict[str, Any]) -> None:
    for name, service in services.items():
        for dep, spec in depends_on(service).items():
            assert dep in services, f"{name} depends on an unknown service {dep}"
            condition = spec.get("condition", "service_started")
            target = services[dep]
            if condition == "service_healthy":
                check = target.get("healthcheck") or {}
                assert check.get("test") and not check.get("disable"), f"{name} waits on {dep}'s health"
                assert check["test"] not in (["NONE"], "NONE"), f"{dep} disables its healthcheck"
            elif condition == "service_completed_successfully":
                assert target.get("restart", "no") == "no", f"{dep} must be a one-shot for {name}"


def test_every_stateful_service_has_a_declared_named_volume(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used: set[str] = set()
    for name, service in compose["services"].items():
        sources = named_volume_sources(service)
        assert sources <= declared, f"{name} uses undeclared volumes {sources - declared}"
        used |= sources
    for stateful in ("kafka", "postgres", "elasticsearch", "prefect-server"):
        assert named_volume_sources(compose["services"][stateful]), f"{stateful} keeps its data in no volume"
    assert declared == used, f"declared but unused volumes: {declared - used}"


def test_kafka_is_a_single_kraft_node_that_leaves_topic_creation_to_socialcare(
    services: dict[str, Any],
) -> None:
    env = environment(services["kafka"])
    assert set((env["KAFKA_PROCESS_ROLES"] or "").split(",")) == {"broker", "controller"}
    assert env["KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"] == "1"
    assert env["KAFKA_AUTO_CREATE_TOPICS_ENABLE"] == "false"
    listener_names = {item.split(":")[0] for item in (env["KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"] or "").split(",")}
    for key in ("KAFKA_LISTENERS", "KAFKA_ADVERTISED_LISTENERS"):
        for listener in (env[key] or "").split(","):
            assert listener.split("://")[0] in listener_names, f"{key}: {listener} has no protocol mapping"
    assert env["KAFKA_CONTROLLER_LISTENER_NAMES"] in listener_names
    assert env["KAFKA_INTER_BROKER_LISTENER_NAME"] in listener_names


def test_kibana_matches_elasticsearch(services: dict[str, Any]) -> None:
    es_version = services["elasticsearch"]["image"].rpartition(":")[2]
    kibana_version = services["kibana"]["image"].rpartition(":")[2]
    assert es_version == kibana_version
    assert es_version.startswith("8.")
    assert environment(services["elasticsearch"])["xpack.security.enabled"] == "false"


def test_published_ports_are_loopback_only(services: dict[str, Any]) -> None:
    """Security is off (Elasticsearch) or defaulted (PostgreSQL): nothing may listen on all interfaces."""
    for name, service in services.items():
        for port in service.get("ports") or []:
            host_ip = port.get("host_ip") if isinstance(port, dict) else str(port).split(":")[0]
            assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond this machine"


# secrets -----------------------------------------------------------------------------------------
def test_no_secret_is_written_into_the_compose_file(compose: dict[str, Any]) -> None:
    secret_fields = {
        f"SOCIALCARE_{name.upper()}"
        for name, field in Settings.model_fields.items()
        if field.annotation is SecretStr or SecretStr in get_args(field.annotation)
    }
    assert "SOCIALCARE_X_BEARER_TOKEN" in secret_fields
    for name, service in compose["services"].items():
        for key, value in environment(service).items():
            if value is None:
                continue  # passed through from the host
            if key in secret_fields or SECRET_NAME.search(key):
                assert INTERPOLATION.search(value), f"{name}: {key} is a literal secret"
                assert key in secret_fields or INTERPOLATION.fullmatch(value), f"{name}: {key} is not ${{...}}"
            # a password inside a URL must be exactly one ${...}: mask them, then look at what is left
            masked = INTERPOLATION.sub("\0", value)
            url_password = re.search(r"://[^/@:\s]*:([^@/\s]+)@", masked)
            if url_password:
                assert url_password[1] == "\0", f"{name}: {key} has a literal password in a URL"
    # Any interpolation of a secret-looking variable, anywhere in the file, has no default unless allowed.
    for match in INTERPOLATION.finditer(COMPOSE_FILE.read_text(encoding="utf-8")):
        if SECRET_NAME.search(match["name"]) and match["arg"]:
            assert match["name"] in LOCAL_DEFAULT_SECRETS, f"{match[0]}: a secret with a literal default"


def test_platform_credentials_are_passed_through(app_services: dict[str, Any]) -> None:
    for name, service in app_services.items():
        env = environment(service)
        for variable in (
            "SOCIALCARE_X_BEARER_TOKEN",
            "SOCIALCARE_REDDIT_CLIENT_ID",
            "SOCIALCARE_REDDIT_CLIENT_SECRET",
        ):
            assert variable in env and env[variable] is None, f"{name}: pass {variable} through, unset"


# Dockerfile --------------------------------------------------------------------------------------
def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with comments dropped and continuation lines joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
        pending = ""
    assert not pending, "the Dockerfile ends inside a continued line"
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def test_dockerfile_is_multi_stage_on_python_311_slim() -> None:
    bases = [args.split()[0] for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert len(bases) >= 2
    assert all(base == "python:3.11-slim" for base in bases), bases


def test_dockerfile_installs_the_cpu_torch_pin_before_the_package(pyproject: dict[str, Any]) -> None:
    runs = [args for keyword, args in dockerfile_instructions() if keyword == "RUN"]
    torch = [i for i, run in enumerate(runs) if "torch" in run]
    package = [i for i, run in enumerate(runs) if re.search(r"pip install\s+(\S+\s+)*\"?\.\[", run)]
    assert len(torch) == 1 and len(package) == 1, runs
    assert TORCH_PIN in runs[torch[0]].split() and TORCH_INDEX in runs[torch[0]]
    assert torch[0] < package[0], "torch must be installed before the package"
    makefile_pin = re.search(r"torch==[\w.+]+", (REPO / "Makefile").read_text(encoding="utf-8"))
    assert makefile_pin and makefile_pin[0] == TORCH_PIN, "the Dockerfile and the Makefile pin one torch"

    install = runs[package[0]]
    assert " -e " not in f" {install} " and "--editable" not in install
    extras = set(re.search(r"\.\[([^\]]*)\]", install)[1].split(","))  # type: ignore[index]
    assert extras == {"kafka", "postgres", "x", "reddit", "ml"}
    assert extras <= set(pyproject["project"]["optional-dependencies"])


def test_dockerfile_copies_every_package_and_no_tests(pyproject: dict[str, Any]) -> None:
    copies = [args.split() for keyword, args in dockerfile_instructions() if keyword == "COPY"]
    sources = {src.rstrip("/") for args in copies if not args[0].startswith("--") for src in args[:-1]}
    assert "." not in sources and "tests" not in sources, "the image must not carry the tests"
    packages = {p.rstrip("*") for p in pyproject["tool"]["setuptools"]["packages"]["find"]["include"]}
    assert packages <= sources, f"packages the wheel needs but the build never copies: {packages - sources}"
    assert {"pyproject.toml", pyproject["project"]["readme"]} <= sources


def test_dockerfile_runtime_stage(pyproject: dict[str, Any]) -> None:
    stage = final_stage()
    users = [args for keyword, args in stage if keyword == "USER"]
    assert users and users[-1].split(":")[0] not in {"root", "0"}, "the image must run as a non-root user"
    entrypoints = [args for keyword, args in stage if keyword == "ENTRYPOINT"]
    assert entrypoints and json.loads(entrypoints[-1]) == ["socialcare"]
    assert "socialcare" in pyproject["project"]["scripts"]
    cmds = [args for keyword, args in stage if keyword == "CMD"]
    assert cmds and CliRunner().invoke(app, json.loads(cmds[-1])).exit_code == 0
    assert [args for keyword, args in stage if keyword == "WORKDIR"][-1] == "/app"
    env = " ".join(args for keyword, args in stage if keyword == "ENV")
    var_dir = re.search(r"SOCIALCARE_VAR_DIR=(\S+)", env)
    assert var_dir and var_dir[1] == "/app/var"
    assert field_of("SOCIALCARE_VAR_DIR") in Settings.model_fields


def test_dockerignore_keeps_local_state_and_secrets_out() -> None:
    patterns = {line.strip() for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines() if line.strip()}
    assert {".git", ".venv", "var", ".env", "tests/artifacts"} <= patterns
