"""`dlp proxy` and `dlp integrations`: attached to the main CLI by dlp.cli."""
from __future__ import annotations

import asyncio
import ipaddress
import logging
import os
import sys
from pathlib import Path

import click

from dlp.errors import ConfigError, UsageError

_LOOPBACK_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}
INTEGRATIONS = ("litellm", "mitmproxy")


def parse_listen(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT``, ``PORT`` or ``[v6]:PORT``."""
    text = text.strip()
    if text.isdigit():
        return "127.0.0.1", int(text)
    if text.startswith("["):
        host, _, port = text[1:].partition("]:")
    else:
        host, _, port = text.rpartition(":")
    if not port.isdigit() or not 0 <= int(port) <= 65535:
        raise UsageError(f"--listen {text!r}: expected HOST:PORT")
    return host or "127.0.0.1", int(port)


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _size(text: str | None, default: int) -> int:
    if text is None:
        return default
    from dlp.config import _size as parse

    return parse("--max-body", text)


@click.command("proxy")
@click.option("--upstream", envvar="DLP_PROXY_UPSTREAM", required=True, metavar="URL",
              help="The model API to forward to, e.g. https://api.anthropic.com (env DLP_PROXY_UPSTREAM).")
@click.option("--listen", default="127.0.0.1:8787", show_default=True, metavar="HOST:PORT",
              help="Where to listen. Loopback only unless --allow-remote.")
@click.option("-c", "--config", "config_path", type=click.Path(dir_okay=False),
              help="Policy file (default: .dlp.yaml at the repository root).")
@click.option("--token", envvar="DLP_PROXY_TOKEN", help="Require this token in X-DLP-Token or "
              "Proxy-Authorization: Bearer (env DLP_PROXY_TOKEN).")
@click.option("--allow-remote", is_flag=True, help="Allow listening on a non-loopback address.")
@click.option("--max-body", default=None, metavar="SIZE", help="Largest request body (default 32MB).")
@click.option("--connect-timeout", type=float, default=10.0, show_default=True, help="Seconds to connect upstream.")
@click.option("--read-timeout", type=float, default=600.0, show_default=True,
              help="Seconds of upstream silence tolerated mid-answer.")
@click.option("--fail-open/--fail-closed", default=None,
              help="When dlp itself fails: forward unchecked, or block (default: policy on_error, else block).")
@click.option("--engine", type=click.Choice(["auto", "hyperscan", "python"]), default="auto", show_default=True)
@click.option("--log-level", type=click.Choice(["debug", "info", "warning", "error"]), default="info",
              show_default=True)
def proxy_command(upstream: str, listen: str, config_path: str | None, token: str | None, allow_remote: bool,
                  max_body: str | None, connect_timeout: float, read_timeout: float, fail_open: bool | None,
                  engine: str, log_level: str) -> None:
    """Reverse proxy that redacts or blocks requests to a model API and restores the answers.

    Point the assistant at it, e.g. ANTHROPIC_BASE_URL=http://127.0.0.1:8787 with
    --upstream https://api.anthropic.com (see docs/proxy.md)."""
    try:
        from dlp.proxy.server import ProxySettings, serve
    except ModuleNotFoundError as exc:
        if exc.name == "aiohttp":
            raise UsageError("dlp proxy needs aiohttp: pip install 'dlp[proxy]'") from None
        raise
    from dlp.egress import Egress
    from dlp.proxy.gate import DEFAULT_MAX_BODY

    if not upstream.startswith(("http://", "https://")):
        raise UsageError(f"--upstream {upstream!r}: expected an http:// or https:// URL")
    host, port = parse_listen(listen)
    if not is_loopback(host) and not allow_remote:
        raise UsageError(f"--listen {listen}: not a loopback address; add --allow-remote (and --token) "
                         "to serve other machines")
    if not is_loopback(host) and not token:
        click.echo("dlp proxy: warning: listening beyond loopback without --token", err=True)
    logging.basicConfig(level=getattr(logging, log_level.upper()), stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(message)s")
    settings = ProxySettings(upstream=upstream, token=token or None, max_body=_size(max_body, DEFAULT_MAX_BODY),
                             connect_timeout=connect_timeout, read_timeout=read_timeout, fail_open=fail_open)
    egress = Egress.from_config(Path(config_path) if config_path else None, cwd=Path.cwd(), engine=engine)

    def ready(bound: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        click.echo(f"dlp proxy: listening on http://{shown}:{bound} -> {upstream}", err=True)

    try:
        _fast_event_loop()
        asyncio.run(serve(settings, egress, host=host, port=port, ready=ready))
    except OSError as exc:
        raise ConfigError(f"--listen {listen}: {exc.strerror or exc}") from None
    except KeyboardInterrupt:
        pass


def _fast_event_loop() -> None:
    """uvloop when it is installed (it comes with litellm[proxy]); asyncio's own loop otherwise."""
    if os.environ.get("DLP_PROXY_LOOP", "auto") == "asyncio":
        return
    try:
        import uvloop  # type: ignore[import-not-found]
    except ImportError:
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())


@click.group("integrations")
def integrations_group() -> None:
    """Files that plug dlp into other tools."""


@integrations_group.command("path")
@click.argument("name", type=click.Choice(INTEGRATIONS))
def integrations_path(name: str) -> None:
    """Print the path of an integration file, e.g. mitmdump -s "$(dlp integrations path mitmproxy)"."""
    import dlp

    path = Path(dlp.__file__).resolve().parent / "integrations" / f"{name}.py"
    if not path.is_file():
        raise ConfigError(f"{path}: missing from this installation")
    click.echo(str(path))
