# syntax=docker/dockerfile:1
# The socialcare image: one image for every app service in docker-compose.yml (migrate, worker-<stage>, ...).
#   docker build -t socialcare:latest .
#   docker run --rm socialcare:latest config show
# Two stages: the builder installs into a virtual environment, the runtime stage copies only that
# environment, so no pip cache, build tools or source tree end up in the image (and no tests, no dev extras).

# ---------------------------------------------------------------------------------------------------------
FROM python:3.11-slim AS builder

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

# PyTorch first and pinned (the same pin as the Makefile): the CPU wheel from PyTorch's own index. Left to
# the resolver, a later dependency on torch would pull the CUDA build and several GB of nvidia-* packages.
RUN pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu

WORKDIR /src
# Only what the wheel needs (see [tool.setuptools] in pyproject.toml); tests, bench and scripts stay out.
COPY pyproject.toml README.md ./
COPY socialcare ./socialcare
COPY collectors ./collectors
COPY enrich ./enrich
COPY triage ./triage
COPY responders ./responders
COPY flows ./flows
COPY dashboards ./dashboards
# A regular (non-editable) install: the package is copied into the venv, /src is not needed at run time.
RUN pip install ".[kafka,postgres,x,reddit,ml]" \
 && pip install --no-deps asari==0.2.0

# ---------------------------------------------------------------------------------------------------------
FROM python:3.11-slim AS runtime

# asari's ONNX model (Japanese sentiment) needs the en_US.UTF-8 locale, which slim images do not carry.
RUN apt-get update \
 && apt-get install -y --no-install-recommends locales \
 && localedef -i en_US -f UTF-8 en_US.UTF-8 \
 && rm -rf /var/lib/apt/lists/*

LABEL org.opencontainers.image.title="socialcare" \
      org.opencontainers.image.description="Social listening and social customer care pipeline" \
      org.opencontainers.image.licenses="Apache-2.0"

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    SOCIALCARE_VAR_DIR=/app/var

RUN groupadd --system --gid 10001 socialcare \
    && useradd --system --uid 10001 --gid socialcare --home-dir /app --shell /usr/sbin/nologin socialcare \
    && mkdir -p /app/var \
    && chown -R socialcare:socialcare /app

COPY --from=builder /opt/venv /opt/venv

WORKDIR /app
USER socialcare

ENTRYPOINT ["socialcare"]
CMD ["--help"]
