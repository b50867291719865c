"""Bad and hostile input: a located error and exit 1, never a traceback,
never a network access, never an entity expanded."""

from __future__ import annotations

import socket
import threading

import pytest

from conftest import FIXTURES, summary_of

MINIMAL = (FIXTURES / "valid" / "minimal.xml").read_text(encoding="utf-8")


def only(out: str) -> str:
    """The single problem line of a one-file run."""
    lines = out.strip().splitlines()
    assert lines[-1].startswith("1 file, 1 error"), out
    assert len(lines) == 2, out
    return lines[0]


def test_malformed_unclosed_tag(tmp_path, run_cli):
    path = tmp_path / "broken.xml"
    path.write_text("<TEI xmlns='http://www.tei-c.org/ns/1.0'>\n  <teiHeader>\n</TEI>\n", encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 1 and "Traceback" not in out + err
    line = only(out)
    assert line.startswith(f"{path}:3:")
    assert "[xml-wellformed]" in line and "teiHeader" in line


def test_truncated_file(tmp_path, run_cli):
    path = tmp_path / "truncated.xml"
    path.write_text(MINIMAL[: len(MINIMAL) // 2], encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1
    assert "[xml-wellformed]" in only(out)


@pytest.mark.parametrize("content", [b"", b"   \n\n  "], ids=["empty", "blank"])
def test_empty_file(tmp_path, run_cli, content):
    path = tmp_path / "empty.xml"
    path.write_bytes(content)
    code, out, _ = run_cli("validate", path)
    assert code == 1
    assert only(out) == f"{path}:1:1: error: [xml-empty] The file is empty: there is no XML in it."


def test_binary_file(tmp_path, run_cli):
    path = tmp_path / "scan.xml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    code, out, err = run_cli("validate", path)
    assert code == 1 and err == ""
    line = only(out)
    assert line.startswith(f"{path}:1:") and "[xml-wellformed]" in line


def test_plain_text_file(tmp_path, run_cli):
    path = tmp_path / "notes.xml"
    path.write_text("TOP SECRET\n\nThis is a raw transcription, not XML.\n", encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1 and "[xml-wellformed]" in only(out)


def test_wrong_encoding_is_located(tmp_path, run_cli):
    """Latin-1 bytes in a file that says (by default) it is UTF-8."""
    text = MINIMAL.replace("We met in my office.", "We met in the caf\u00e9.")
    path = tmp_path / "minimal.xml"
    path.write_bytes(text.encode("latin-1"))
    code, out, _ = run_cli("validate", path)
    line = only(out)
    expected_line = text[: text.index("caf")].count("\n") + 1
    assert code == 1 and line.startswith(f"{path}:{expected_line}:") and "[xml-wellformed]" in line


def test_utf16_with_declaration_is_fine(tmp_path, run_cli):
    path = tmp_path / "minimal.xml"
    path.write_bytes(MINIMAL.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16"))
    code, out, _ = run_cli("validate", path)
    assert code == 0, out


class Listener:
    """A loopback TCP listener that records whether anything connected."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self.thread.join(timeout=2)
        self.sock.close()


@pytest.fixture()
def listener():
    server = Listener()
    yield server
    server.close()


def test_external_entities_are_refused_not_fetched(tmp_path, run_cli, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("CLASSIFIED-CONTENT-MUST-NOT-LEAK", encoding="utf-8")
    doc = (
        '<?xml version="1.0"?>\n'
        "<!DOCTYPE TEI [\n"
        f'  <!ENTITY file SYSTEM "file://{secret}">\n'
        f'  <!ENTITY web SYSTEM "http://127.0.0.1:{listener.port}/payload">\n'
        "]>\n"
        + MINIMAL.split("?>", 3)[-1].replace("We met in my office.", "&file; &web;")
    )
    path = tmp_path / "minimal.xml"
    path.write_text(doc, encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 1
    line = only(out)
    assert line.startswith(f"{path}:2:1: error: [xml-doctype]")
    assert "external entities" in line and "file" in line
    assert "CLASSIFIED-CONTENT-MUST-NOT-LEAK" not in out + err
    assert listener.connections == 0


def test_external_dtd_is_not_fetched(tmp_path, run_cli, listener):
    doc = (f'<?xml version="1.0"?>\n<!DOCTYPE TEI SYSTEM "http://127.0.0.1:{listener.port}/tei.dtd">\n'
           + MINIMAL.split("?>", 3)[-1])
    path = tmp_path / "minimal.xml"
    path.write_text(doc, encoding="utf-8")
    code, out, _ = run_cli("validate", path)
    assert code == 1 and "[xml-doctype]" in only(out)
    assert listener.connections == 0


@pytest.mark.parametrize("kind", ["billion-laughs", "quadratic"])
def test_entity_bombs_are_not_expanded(tmp_path, run_cli, kind):
    if kind == "billion-laughs":
        decls = ['<!ENTITY lol0 "lol">'] + [
            f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)
        ]
        use = "&lol9;"
    else:
        decls = ['<!ENTITY big "' + "x" * 50_000 + '">']
        use = "&big;" * 50_000
    doc = ('<?xml version="1.0"?>\n<!DOCTYPE TEI [\n' + "\n".join(decls) + "\n]>\n"
           + MINIMAL.split("?>", 3)[-1].replace("We met in my office.", use))
    path = tmp_path / "minimal.xml"
    path.write_text(doc, encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 1
    line = only(out)
    assert "[xml-doctype]" in line and "never expands" in line
    assert len(out) < 2000  # nothing was expanded into the report


def test_xinclude_is_not_processed(tmp_path, run_cli):
    secret = tmp_path / "secret.txt"
    secret.write_text("CLASSIFIED-CONTENT-MUST-NOT-LEAK", encoding="utf-8")
    doc = MINIMAL.replace(
        "<p>We met in my office.",
        f'<p>We met <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{secret}" parse="text"/>.',
    )
    path = tmp_path / "minimal.xml"
    path.write_text(doc, encoding="utf-8")
    code, out, err = run_cli("validate", path)
    assert code == 1
    assert "[xsd-element]" in out and "include" in out
    assert "CLASSIFIED-CONTENT-MUST-NOT-LEAK" not in out + err


def test_a_folder_with_a_directory_named_like_xml(tmp_path, run_cli):
    """Checked are the files; the folder is not passed over in silence (issue 16)."""
    (tmp_path / "odd.xml").mkdir()
    (tmp_path / "minimal.xml").write_text(MINIMAL, encoding="utf-8")
    code, out, _ = run_cli("validate", tmp_path)
    assert code == 0 and summary_of(out) == "1 file, 0 errors, 1 warning"
    assert f"{tmp_path / 'odd.xml'}:0:0: warning: [xml-not-a-file] a folder named like an XML file" in out
