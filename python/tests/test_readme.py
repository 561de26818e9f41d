"""The README's Python and server snippets run as written; what they print is checked against the
shared vectors, the exemplar bundle and the CLI (not against numbers copied into this test)."""

import json
import os
import re
import signal
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import puhui
from conftest import FIXTURE, NOW, REPO, cli_path, run_cli, vectors

README = (REPO / "README.md").read_text(encoding="utf-8")


def block(name, lang):
    found = re.search(rf"<!-- readme-{name}:start -->\s*```{lang}\n(.*?)```\s*<!-- readme-{name}:end -->",
                      README, re.S)
    assert found, f"README has the marked {name} block"
    return found.group(1)


def test_python_snippet_runs_and_its_comments_are_true():
    code = block("python", "python")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().split("\n")
    vector = vectors("schedules.json")[0]
    assert lines[0] == f'{vector["expected"]["installments"][0]["payment"]} {vector["expected"]["totals"]["interest"]}'
    request = {"productId": "consumer-loan", "amount": "50000.00", "termMonths": 36, "band": "B"}
    cli = run_cli(["quote", "--bundle", FIXTURE / "bundle.signed.json", "--root",
                   FIXTURE / "root.json", "--now", NOW, "-"], json.dumps(request).encode())
    quote = json.loads(cli.stdout)
    assert lines[1] == str({"apr": quote["disclosure"]["cn"]["rate"],
                            "payment": quote["schedule"]["installments"][0]["payment"],
                            "total_cost": quote["disclosure"]["totalCost"]})
    assert lines[2] == "over-precise-amount principal"
    comments = [l.split("# ", 1)[1] for l in code.split("\n") if "print(" in l]
    assert comments == lines


def test_recheck_snippet_runs_against_a_real_server(tmp_path):
    code = block("recheck", "sh").strip().split("\n")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "tests").symlink_to(REPO / "tests")
    publish, serve = code[0], code[1]
    # The snippet's own port (not make demo's 8080, which may still be serving) becomes a free one.
    addr = re.search(r"127\.0\.0\.1:\d+", serve).group(0)
    curl = "\n".join(code[2:]).replace(addr, f"127.0.0.1:{port}")
    env_fn = f'puhui() {{ "{cli_path()}" "$@"; }}\n'
    assert subprocess.run(["bash", "-c", env_fn + publish], cwd=tmp_path).returncode == 0
    server = subprocess.Popen(
        ["bash", "-c", env_fn + serve.replace(addr, f"127.0.0.1:{port}")
         .rstrip("&").strip()], cwd=tmp_path, stderr=subprocess.DEVNULL,
        start_new_session=True)
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        assert shutil.which("curl"), "curl is needed by the README snippet"
        out = subprocess.run(["bash", "-c", curl], cwd=tmp_path, capture_output=True, text=True)
        quote = json.loads(out.stdout)
        engine = puhui.Engine.load(FIXTURE / "bundle.signed.json", FIXTURE / "root.json")
        assert quote["bundle"] == {"bundleId": "puhui-sample", "version": 1,
                                   "sha256": engine.summary["sha256"]}
        assert len(quote["schedule"]["installments"]) == 36
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)
