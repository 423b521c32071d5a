"""The deployment files, checked without a Docker engine."""

import re
from pathlib import Path

import yaml

from ksales.entrypoints.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_services() -> None:
    spec = compose()
    assert set(spec["services"]) == {"app", "nginx"}
    app, nginx = spec["services"]["app"], spec["services"]["nginx"]
    assert app["command"][0] == "serve"
    assert "ksales-data:/data" in app["volumes"]
    assert "ksales-data" in spec["volumes"]
    assert app["environment"]["KSALES_DATA_DIR"] == "/data"
    assert "/api/health" in " ".join(app["healthcheck"]["test"])
    assert app["restart"] == nginx["restart"] == "unless-stopped"
    assert app["mem_limit"] and nginx["mem_limit"]
    assert "ports" not in app, "only nginx is published"
    assert nginx["depends_on"]["app"]["condition"] == "service_healthy"
    assert {"80:80", "443:443"} <= set(nginx["ports"])


def test_nginx_config() -> None:
    conf = (ROOT / "deploy/nginx/ksales.conf").read_text()
    assert "return 301 https://" in conf
    assert "gzip on" in conf
    assert "Strict-Transport-Security" in conf
    assert "X-Forwarded-Proto" in conf
    assert re.search(r"location /static/ \{[^}]*immutable", conf)
    assert re.search(r"location /api/ \{[^}]*max-age=10", conf)


def test_dockerfile() -> None:
    text = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(stages) == 2
    assert all("slim" in s for s in stages)
    assert re.search(r"^USER ksales$", text, re.MULTILINE)
    assert "HEALTHCHECK" in text and "/api/health" in text
    final = text.split("\nFROM ")[-1]
    assert "pip install" not in final, "no build step in the final image"
    assert 'ENTRYPOINT ["ksales"]' in text


def env_vars_in_code() -> set[str]:
    names = {variable.name for variable in Settings.variables()}
    for path in (ROOT / "src/ksales").rglob("*.py"):
        text = path.read_text()
        names |= set(
            re.findall(r"""get\(\s*["']((?:KSALES|KEYCRM|BOT|TELEGRAM|ADMIN|DASHBOARD)_?[A-Z_]*)["']""", text)
        )
        names |= set(re.findall(r"""environ(?:\.get)?[\[(]\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names


def test_every_variable_is_documented() -> None:
    documented = set(re.findall(r"^([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    used = env_vars_in_code()
    assert {"KEYCRM_API_KEY", "BOT_TOKEN", "KSALES_TIMEZONE"} <= used
    assert used - documented == set()
    readme = (ROOT / "README.md").read_text()
    assert {v for v in used if f"`{v}`" not in readme} == set()


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci/run").read_text()
    assert "make test" in ci
    assert "make test" in (ROOT / "README.md").read_text()
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert any(step.get("run") == "make test" for step in steps)
    assert workflow["jobs"]["deploy"]["needs"] == "image"
