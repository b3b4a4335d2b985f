"""The ``landkit`` command: parse, call the library, print, and exit with a meaningful code.

Exit codes: 0 success; 1 the input was read but has problems (``info`` found schema errors,
``audit`` found an error); 2 the input cannot be used (missing, damaged, not a project file) or
a write was refused; 3 a landkit bug (the traceback is in the crash file named on screen);
130 interrupted (Ctrl-C); 143 terminated (SIGTERM).
"""

from __future__ import annotations

import re
import signal
import sys
import warnings
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from .. import __version__
from ..errors import LandkitError, LandkitWarning
from ..i18n import t
from ..store import mask
from .lang import Group, Option, cli_language, usage_message

# The commands live in the modules of this package, one per group (setup, database, measure,
# ledger, audit, outputs); their shared options in options.py. Commands import what they compute
# with inside themselves: `landkit record` then starts without loading pandas and GDAL.

_OS_ERRORS = {"ENOSPC", "EROFS", "EACCES", "EPERM", "EFBIG", "EDQUOT", "ENOENT", "EISDIR", "ENOTDIR", "EEXIST"}


class _Terminated(BaseException):
    """SIGTERM, raised where the program is so that every ``finally`` removes its temporary files."""


def _terminate(signum, frame) -> None:
    raise _Terminated


def _crash_file(exc: BaseException, words: Sequence[str]) -> Path | None:
    """Write the traceback and the versions to a private file in the user's cache folder; return its path.

    The folder is ``platformdirs.user_cache_dir("landkit")`` (``%LOCALAPPDATA%\\landkit\\Cache`` on
    Windows, ``~/.cache/landkit`` on Linux), made 0700; the file is new (O_EXCL), 0600, with a random
    part in its name. It holds the command line with every password masked, the versions, and the
    traceback's frames and messages (masked too), never a frame's local variables. ``words`` is the
    command line after ``landkit``. When the cache folder cannot be written, a private file in the
    temporary folder (``tempfile.mkstemp``); when nothing can be written, None.
    """
    import datetime as dt
    import os
    import platform
    import secrets
    import traceback

    try:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        versions = [f"landkit {__version__}", f"python {sys.version.split()[0]} on {platform.platform()}"]
        for name in ("pandas", "geopandas", "shapely", "pyproj", "pyogrio"):
            if name in sys.modules:
                versions.append(f"{name} {getattr(sys.modules[name], '__version__', '?')}")
        command = "command: " + _command_line(["landkit", *words])
        head = ["landkit crash report: please send this file with your report", command]
        # the frames and the messages, as Python prints them: no local variables (capture_locals is off)
        frames = "".join(traceback.TracebackException.from_exception(exc, capture_locals=False).format())
        data = _masked("\n".join([*head, *versions]) + "\n\n" + frames, also=words).encode("utf-8", "replace")
        prefix = f"landkit-crash-{stamp}-"
        try:
            path = _private_folder() / f"{prefix}{secrets.token_hex(4)}.txt"
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            fd = os.open(path, flags, 0o600)
        except Exception:  # the cache folder cannot be written: a private file in the temporary folder
            import tempfile

            fd, name = tempfile.mkstemp(prefix=prefix, suffix=".txt")
            path = Path(name)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        return path
    except Exception:  # a crash report must never crash in its turn
        return None


def _private_folder() -> Path:
    """The user's landkit cache folder, created 0700 (and made so, on POSIX, if it was not)."""
    import os

    import platformdirs

    folder = Path(platformdirs.user_cache_dir("landkit", appauthor=False))
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if os.name != "nt":  # Windows keeps a user's %LOCALAPPDATA% private by its ACL; it has no mode bits
        import stat

        st = os.lstat(folder)
        if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid():  # a link, or someone else's folder
            raise PermissionError(f"{folder}: not a folder of this user's own")
        if stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(folder, 0o700)
    return folder


def _unique(caught) -> list:
    seen, out = set(), []
    for w in caught:
        if str(w.message) not in seen:
            seen.add(str(w.message))
            out.append(w)
    return out


# A password in a URL (user:PASSWORD@host, to the last @ of the address: a raw @ in a password is
# common, Admin@123), in a conninfo (password=…, sslpassword=…, quoted or not) or a tile key (tk=…).
_URL_PASSWORD = re.compile(r"(\b[a-z][a-z0-9+.-]*://[^\s:/?#@]*:)(?:[^\s@]*@)+", re.IGNORECASE)


_KEY_PASSWORD = re.compile(
    r"""(\b\w*(?:password|passwd)\s*=\s*|[?&]tk=)(?:'(?:[^'\\]|\\.)*'?|"(?:[^"\\]|\\.)*"?|\S+)""",
    re.IGNORECASE,
)


_SECRET_OPTION = re.compile(r"--[\w-]*(?:key|password|secret|token)[\w-]*", re.IGNORECASE)


def _masked(text: str, also: Iterable[str] = ()) -> str:
    """``text`` with every password masked (``***``): in a URL, in a conninfo's ``password=``, and
    wherever else the password of a project URL among ``also`` (the command line) appears."""

    text = mask(text, also)
    text = _URL_PASSWORD.sub(r"\1***@", text)
    return _KEY_PASSWORD.sub(r"\1***", text)


def _command_line(argv: Sequence[str]) -> str:
    """The command line as a crash file shows it: passwords and the values of key options masked."""
    words: list[str] = []
    hide = False
    for word in argv:
        if hide:
            word, hide = "***", False
        elif _SECRET_OPTION.fullmatch(word.split("=", 1)[0]):
            word, hide = (word.split("=", 1)[0] + "=***", False) if "=" in word else (word, True)
        words.append(_masked(word))
    return " ".join(words)


def _usage_error(exc: click.UsageError, lang: str) -> None:
    """A wrong command line: one line in the command line's language, with where to read more."""
    sub = exc.ctx.info_name if exc.ctx is not None and exc.ctx.parent is not None else None
    where = f"landkit {sub + ' ' if sub else ''}--help"
    click.echo(t("guard.usage", lang, message=usage_message(exc, lang), help=where), err=True)


class _Group(Group):
    """One guard for every command: landkit's errors in a line or two (exit 2), a bug as exit 3
    with its traceback in a crash file, Ctrl-C as 130 and SIGTERM as 143; each line in the command
    line's language (landkit/i18n: ``guard.*``)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:  # a wrong option of landkit's own (`landkit --bogus`): the same one line as a command's
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            _usage_error(exc, cli_language(ctx))
            raise click.exceptions.Exit(2) from None

    def invoke(self, ctx: click.Context):
        for stream in (sys.stdout, sys.stderr):  # a Chinese Windows console (GBK) cannot show every character
            if hasattr(stream, "reconfigure") and "utf" not in (getattr(stream, "encoding", "") or "").lower():
                stream.reconfigure(errors="replace")
        try:  # only the main thread may set a handler (a notebook's CLI runner may not be it)
            previous = signal.signal(signal.SIGTERM, _terminate)
        except ValueError:
            previous = None
        words = [*getattr(ctx, "_protected_args", []), *ctx.args]
        command = " ".join(["landkit", *words[:2]])
        try:
            with warnings.catch_warnings(record=True) as caught:  # said as landkit's own lines, not Python's
                warnings.simplefilter("always")
                try:
                    return super().invoke(ctx)
                finally:
                    for w in _unique(caught):
                        said = w.message
                        _warn(said.text(cli_language(ctx)) if isinstance(said, LandkitWarning) else str(said))
        except LandkitError as exc:
            lang = cli_language(ctx)
            click.echo(_masked(t("guard.error", lang, message=exc.text(lang))), err=True)
            raise click.exceptions.Exit(2) from None
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:  # a wrong option: one line, with where to read more
            _usage_error(exc, cli_language(ctx))
            raise click.exceptions.Exit(2) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except KeyboardInterrupt:
            click.echo(t("guard.interrupted", cli_language(ctx)), err=True)
            raise click.exceptions.Exit(130) from None
        except _Terminated:
            click.echo(t("guard.terminated", cli_language(ctx)), err=True)
            raise click.exceptions.Exit(143) from None
        except OSError as exc:
            import errno

            if errno.errorcode.get(exc.errno or -1) not in _OS_ERRORS or ctx.meta.get("landkit.debug"):
                raise
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(t("guard.os_error", cli_language(ctx), where=where, reason=exc.strerror), err=True)
            raise click.exceptions.Exit(2) from None
        except Exception as exc:
            if ctx.meta.get("landkit.debug"):
                raise
            crash = _crash_file(exc, words)
            said = _masked(str(exc), also=words)[:160]  # masked before it is cut: no half password
            lang = cli_language(ctx)
            where = t("guard.report_with", lang, crash=crash) if crash else t("guard.report_without", lang)
            line = t(
                "guard.bug", lang, command=_masked(command, words), kind=type(exc).__name__, said=said, where=where
            )
            click.echo(line, err=True)
            raise click.exceptions.Exit(3) from None
        finally:
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


@click.group(cls=_Group, help="cmd.main")
@click.version_option(
    __version__, prog_name="landkit", message="%(prog)s %(version)s", cls=Option, help="click.version"
)
@click.option("--debug", is_flag=True, cls=Option, help="opt.debug")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    ctx.meta["landkit.debug"] = debug


def _warn(message: str) -> None:
    said = t("guard.warning", cli_language(click.get_current_context(silent=True)), message=message)
    click.echo(said, err=True)


# the commands, by what they do (each module adds its own to `main`)
from . import audit, database, ledger, lineage, measure, money, outputs, setup  # noqa: E402, F401
from .options import PROJECT  # noqa: E402, F401
