# syntax=docker/dockerfile:1.7
# Build stage: a wheel and its dependencies, with build tools that never reach the final image.
FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN python -m venv /opt/ksales \
 && /opt/ksales/bin/pip install --upgrade pip \
 && /opt/ksales/bin/pip install .

# Final stage: the virtual environment only, run as an unprivileged user.
FROM python:3.11-slim
ENV PATH=/opt/ksales/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    KSALES_DATA_DIR=/data \
    KSALES_LOG_FORMAT=json
RUN groupadd --system ksales && useradd --system --gid ksales --home-dir /data --shell /usr/sbin/nologin ksales \
 && mkdir -p /data && chown ksales:ksales /data
COPY --from=build /opt/ksales /opt/ksales
USER ksales
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/api/health', timeout=4).status != 200)"]
# The same image runs `ksales serve` (default) or `ksales bot`.
ENTRYPOINT ["ksales"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
