#!/usr/bin/env python3
"""The Windows build of Kassa under wine, as a shop would use it (run by scripts/test-windows
inside the Debian sid chroot, with the repository at /src).

Every step waits for something it can observe (a file, a command's answer, the window's
pixels changing), never for a fixed time alone. Fails with the step's name and what was seen.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

VERSION = sys.argv[1] if len(sys.argv) > 1 else "0.1.0"
SRC = "/src"
EXE = f"{SRC}/target/x86_64-pc-windows-gnu/release/kassa.exe"
SETUP = f"{SRC}/target/windows/kassa-setup-{VERSION}.exe"
WORK = "/tmp/kassa-win"
SHOT = f"{SRC}/target/windows/till.png"
ENV = dict(os.environ)
ENV.update(
    {
        "WINEPREFIX": "/root/.wine-kassa-test",
        "WINEDEBUG": "-all",
        "XDG_RUNTIME_DIR": "/tmp/xdg-kassa",
        "WINEDLLOVERRIDES": "mscoree,mshtml=",
    }
)
os.makedirs(ENV["XDG_RUNTIME_DIR"], mode=0o700, exist_ok=True)
STARTED = time.time()
WINESERVER = shutil.which("wineserver") or "/usr/lib/x86_64-linux-gnu/wine/wineserver"
CHILDREN = []


def log(msg):
    print(f"[{time.time() - STARTED:6.1f}s] {msg}", flush=True)


DISPLAY_USED = []


def fail(msg):
    log(f"FAILED: {msg}")
    for d in DISPLAY_USED:
        shot = f"{SRC}/target/windows/failed.png"
        subprocess.run(["import", "-display", d, "-window", "root", shot], capture_output=True)
        log(f"  the screen is in {shot}")
    cleanup()
    sys.exit(1)


def cleanup():
    for c in CHILDREN:
        try:
            c.kill()
            c.wait(timeout=10)
        except Exception:
            pass
    subprocess.run([WINESERVER, "-k"], env=ENV, capture_output=True)


def win(path):
    """A Linux path as wine's Windows programs see it (Z: is /)."""
    return "Z:" + path.replace("/", "\\")


def kassa(*args, db=None, check=True, timeout=600, env=None, exe=EXE, stdin=None):
    cmd = ["wine", exe]
    if db:
        cmd += ["--db", db if db.startswith("postgres://") else win(db)]
    cmd += list(args)
    e = dict(ENV)
    if env:
        e.update(env)
    r = subprocess.run(cmd, env=e, capture_output=True, timeout=timeout,
                       input=stdin.encode() if stdin is not None else None)
    out = r.stdout.decode("utf-8", "replace")
    err = r.stderr.decode("utf-8", "replace")
    if check and r.returncode != 0:
        fail(f"kassa {' '.join(args)} exited {r.returncode}: {out}{err}")
    return r.returncode, out, err


def wait_for(what, limit, done):
    deadline = time.time() + limit
    while True:
        got = done()
        if got:
            return got
        if time.time() > deadline:
            fail(f"timed out waiting for {what}")
        time.sleep(0.2)


def screen(display):
    """The screen, shrunk so that a blinking text cursor is below notice."""
    r = subprocess.run(
        ["import", "-display", display, "-window", "root", "-resize", "320x180!", "rgb:-"],
        capture_output=True,
    )
    return r.stdout


def differs(a, b):
    """Whether two shrunk screens differ by more than a blinking cursor."""
    if len(a) != len(b):
        return True
    return sum(1 for x, y in zip(a, b) if abs(x - y) > 24) > 12


def settle(display, limit=60):
    """Waits until the window has stopped drawing something new (two looks alike)."""
    last = screen(display)
    deadline = time.time() + limit
    while time.time() < deadline:
        time.sleep(0.3)
        now = screen(display)
        if not differs(now, last):
            return now
        last = now
    fail("the window never settled")


def start_display(display):
    """An Xvfb display of a till's size (1280×720)."""
    DISPLAY_USED.append(display)
    xvfb = subprocess.Popen(
        ["Xvfb", display, "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    CHILDREN.append(xvfb)
    wait_for("Xvfb", 30, lambda: os.path.exists(f"/tmp/.X11-unix/X{display[1:]}"))
    return display


def stepper(display):
    def step(what, *args, limit=60):
        """One action, then wait until the window shows its effect and has settled."""
        before = settle(display)
        xdotool(display, *args)
        wait_for(what, limit, lambda: differs(screen(display), before))
        settle(display, limit)
    return step


def status_bar(display):
    """The bottom of the screen, where the window's status bar is."""
    return subprocess.run(
        ["import", "-display", display, "-window", "root", "-crop", "1280x34+0+686", "rgb:-"],
        capture_output=True,
    ).stdout


def status_bar_still(display, still=1.5, limit=60):
    """The status bar once it has not changed for `still` seconds."""
    deadline = time.time() + limit
    last, since = status_bar(display), time.time()
    while time.time() < deadline:
        time.sleep(0.2)
        now = status_bar(display)
        if now != last:
            last, since = now, time.time()
        elif time.time() - since >= still:
            return now
    fail("the status bar never stood still")


def open_window(display, args, what):
    """Starts kassa.exe's window on `display` and waits until it has drawn `what` and settled.
    The screen is looked at before the start, so a window that draws at once is seen too."""
    blank = screen(display)
    window = subprocess.Popen(
        ["wine", EXE, *args], env=dict(ENV, DISPLAY=display),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    CHILDREN.append(window)
    wid = wait_for("the window", 180,
                   lambda: xdotool(display, "search", "--name", "^Kassa$").split("\n")[0])
    xdotool(display, "windowfocus", "--sync", wid)
    wait_for(what, 120, lambda: differs(screen(display), blank))
    settle(display)
    return window, wid


def xdotool(display, *args):
    r = subprocess.run(["xdotool", *args], env=dict(ENV, DISPLAY=display), capture_output=True)
    return r.stdout.decode().strip()


class Network:
    """The shop's network between a till and its server: a TCP relay on a loopback port that
    can be cut (every connection closed, new ones refused) and mended, as when a cable is
    pulled or the switch restarts."""

    def __init__(self, server_port):
        self.server_port = server_port
        self.lock = threading.Lock()
        self.conns = []
        self.listener = None
        probe = socket.socket()
        probe.bind(("127.0.0.1", 0))
        self.port = probe.getsockname()[1]
        probe.close()
        self.mend()

    def mend(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        with self.lock:
            self.listener.close()
            for c in self.conns:
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                c.close()
            self.conns = []

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(("127.0.0.1", self.server_port))
            except OSError:
                client.close()
                continue
            with self.lock:
                self.conns += [client, server]
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    @staticmethod
    def _pipe(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        for c in (src, dst):
            try:
                c.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def sold_today(url, product):
    """How many of `product` the shop on the server sold since two days ago (its
    sales-by-product report; the test compares what it says before and after)."""
    day = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 2 * 86400))
    _, out, _ = kassa("report", "sales-by-product", "--from", day, db=url)
    for line in out.splitlines():
        cells = line.split(",")
        if cells and cells[0].strip('"') == product:
            return float(cells[1].replace(" ", "") or 0)
    return 0.0


# ---------------------------------------------------------------------------------------
# An independent ESC/POS reader: what a printer would print, and the QR codes it would draw.

PAGES = {17: "cp866", 46: "cp1251"}


def escpos_text(data):
    text, qrs, page, i = [], [], "cp866", 0
    chunk = bytearray()

    def flush():
        if chunk:
            text.append(chunk.decode(page, "replace"))
            chunk.clear()

    while i < len(data):
        b = data[i]
        if b == 0x1B and i + 1 < len(data):
            c = data[i + 1]
            if c == 0x40:
                i += 2
            elif c == 0x74:
                flush()
                page = PAGES.get(data[i + 2], "utf-8")
                i += 3
            elif c == 0x70:
                i += 5
            elif c == 0x64:
                flush()
                text.append("\n" * data[i + 2])
                i += 3
            else:
                i += 3
        elif b == 0x1D and i + 1 < len(data):
            c = data[i + 1]
            if c == 0x28 and data[i + 2] == 0x6B:
                n = data[i + 3] + 256 * data[i + 4]
                body = data[i + 5 : i + 5 + n]
                if body[:3] == b"\x31\x50\x30":
                    qrs.append(body[3:].decode("utf-8", "replace"))
                i += 5 + n
            elif c == 0x56:
                i += 4 if data[i + 2] in (65, 66) else 3
            elif c == 0x6B:
                m = data[i + 2]
                if m >= 65:
                    i += 4 + data[i + 3]
                else:
                    j = data.index(0, i + 3)
                    i = j + 1
            else:
                i += 3
        elif b == 0x10 and i + 1 < len(data) and data[i + 1] == 0x04:
            i += 3
        elif b == 0x0A:
            chunk.append(b)
            i += 1
        else:
            chunk.append(b)
            i += 1
    flush()
    return "".join(text), qrs


# ---------------------------------------------------------------------------------------


def main():
    for f in (EXE, SETUP):
        if not os.path.isfile(f):
            fail(f"{f} is missing: run scripts/build-windows")
    shutil.rmtree(WORK, ignore_errors=True)
    os.makedirs(WORK)
    shutil.rmtree(ENV["WINEPREFIX"], ignore_errors=True)
    log("wine prefix")
    subprocess.run(["wineboot", "--init"], env=ENV, capture_output=True, timeout=600)
    if os.environ.get("KASSA_WIN_ONLY") == "postgresql":
        # Only the till of a shop on a server (while working on it).
        display = start_display(":77")
        a_till_of_a_shop_on_postgresql(display, stepper(display))
        cleanup()
        log("the PostgreSQL part passed")
        return

    shop = f"{WORK}/shop.db"
    log("kassa --version")
    _, out, _ = kassa("--version")
    if VERSION not in out:
        fail(f"--version said {out!r}")

    log("demo-data")
    cashier, password = demo_shop(shop, 14)

    log("check, audit verify, users, shifts")
    checks_pass(shop, "the demo shop")
    _, out, _ = kassa("users", db=shop)
    if cashier not in out:
        fail(f"users: {out}")

    log("reports in every format")
    _, out, _ = kassa("report", "sales-by-product", "--from", "2000-01-01", db=shop)
    if out.count("\n") < 10:
        fail(f"the CSV report to the console has {out.count(chr(10))} lines")
    for fmt, magic in (("csv", None), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        path = f"{WORK}/sales.{fmt}"
        kassa("report", "sales-by-product", "--from", "2000-01-01", "--format", fmt,
              "--out", win(path), "--lang", "ru", db=shop)
        data = open(path, "rb").read()
        if len(data) < 200 or (magic and not data.startswith(magic)):
            fail(f"report {fmt}: {len(data)} bytes")
    pdf = subprocess.run(["pdftotext", f"{WORK}/sales.pdf", "-"], capture_output=True)
    if pdf.returncode == 0 and "Продажи" not in pdf.stdout.decode("utf-8", "replace"):
        fail("the PDF report has no Cyrillic title")

    log("export-catalog, import into a new shop")
    kassa("export-catalog", "--out", win(f"{WORK}/catalog.xlsx"), db=shop)
    code, product = a_product(shop)
    other = f"{WORK}/other.db"
    kassa("migrate", db=other)
    _, out, _ = kassa("import", win(f"{WORK}/catalog.xlsx"), db=other)
    _, out2, _ = kassa("import", win(f"{WORK}/catalog.xlsx"), "--dry-run", db=other)
    log(f"  import: {out.strip().splitlines()[-1] if out.strip() else out}")

    log("labels as PDF sticker sheets")
    kassa("labels", "--barcode", code, "--copies", "6", "--pdf", win(f"{WORK}/labels.pdf"), db=shop)
    if not open(f"{WORK}/labels.pdf", "rb").read().startswith(b"%PDF"):
        fail("labels.pdf is not a PDF")
    z = subprocess.run(["zbarimg", "-q", "--raw", f"{WORK}/labels.pdf"], capture_output=True)
    if z.returncode == 0 and code not in z.stdout.decode():
        fail(f"the sticker sheet does not scan to {code}: {z.stdout!r}")

    log("backup, restore")
    _, out, _ = kassa("backup", "--dir", win(f"{WORK}/backups"), db=shop)
    backups = sorted(os.listdir(f"{WORK}/backups"))
    if not backups:
        fail(f"no backup written: {out}")
    kassa("restore", win(f"{WORK}/backups/{backups[-1]}"), db=shop)
    _, out, _ = kassa("check", db=shop)
    if "all checks passed" not in out:
        fail(f"check after restore: {out}")

    log("settings: the receipt printer writes to a file")
    receipts = f"{WORK}/receipts.bin"
    kassa("settings", "set", "printer.port", "file:" + win(receipts), db=shop)
    _, out, _ = kassa("settings", "get", "printer.port", db=shop)
    if "receipts.bin" not in out:
        fail(f"settings get: {out}")
    rc, _, err = kassa("settings", "set", "printer.width", "61", db=shop, check=False)
    if rc == 0:
        fail("a paper width of 61 mm was taken")

    # The window.
    log("Xvfb and the window")
    display = start_display(":77")
    xvfb = CHILDREN[-1]
    window, wid = open_window(display, ["--db", win(shop)], "the log-in screen")
    step = stepper(display)

    log("a second program on the same shop is refused")
    rc, out, err = kassa("restore", win(f"{WORK}/backups/{backups[-1]}"), db=shop, check=False)
    if rc == 0 or "in use" not in err:
        fail(f"restore beside the window: {rc} {out}{err}")
    rc, out, err = kassa("bot", db=shop, check=False, timeout=120,
                         env={"KASSA_TELEGRAM_TOKEN": "1:x", "KASSA_TELEGRAM_API": "http://127.0.0.1:9"})
    if rc == 0 or "in use" not in err or "kassa" not in err:
        fail(f"a second program beside the window: {rc} {out}{err}")

    log("log in from the keyboard")
    step("the login typed", "type", "--delay", "30", cashier)
    step("the focus on the password", "key", "Tab")
    step("the password typed", "type", "--delay", "30", password)
    step("the till", "key", "Return", limit=120)
    log("open the shift")
    step("the starting cash typed", "type", "--delay", "30", "50000")
    step("the till's search", "key", "Return")
    wait_for("the shift open", 60, lambda: cashier_shift_open(shop, cashier))
    log("scan and sell")
    step("the scan", "key", "--delay", "10", *list(code), "Return")
    step("the payment dialog", "key", "F12")
    xdotool(display, "key", "Return")
    data = wait_for("the receipt", 120, lambda: os.path.exists(receipts) and os.path.getsize(receipts) > 100 and open(receipts, "rb").read())
    time.sleep(1)
    data = open(receipts, "rb").read()
    text, qrs = escpos_text(data)
    if not qrs or not qrs[0].startswith("KASSA-SALE-"):
        fail(f"the receipt has no sale QR: {qrs} {text[:400]!r}")
    # The receipt's code page has no ʻ: it prints '.
    if product.replace("ʻ", "'").replace("‘", "'")[:12] not in text:
        fail(f"the receipt does not name the product {product!r}: {text[:600]!r}")
    log(f"  receipt: {len(data)} bytes, QR {qrs[0]}")
    subprocess.run(["import", "-display", display, "-window", "root", SHOT], check=True)
    log(f"  screenshot {SHOT}")
    window.kill()
    window.wait()
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)

    log("the system's file dialog chooses the database on the start screen")
    notes = f"{WORK}/notes.txt"
    with open(notes, "w") as f:
        f.write("not a database\n")
    window, wid = open_window(display, ["--db", win(notes)], "the start screen")
    # From the keyboard: into the path field, Tab to "…", Space opens the dialog.
    # (A focus ring is too small a change for `step` to wait on.)
    xdotool(display, "mousemove", "--window", wid, "500", "249", "click", "1")
    settle(display)
    xdotool(display, "key", "Tab")
    settle(display)
    windows = lambda: set(xdotool(display, "search", "--onlyvisible", "--name", ".").split())
    before = windows()
    xdotool(display, "key", "space")
    opened = wait_for("the file dialog", 60, lambda: windows() - before)
    dialog = sorted(opened)[0]
    name = xdotool(display, "getwindowname", dialog).strip()
    log(f"  the dialog: {name!r}")
    xdotool(display, "windowfocus", "--sync", dialog)
    time.sleep(1)
    xdotool(display, "type", "--delay", "20", win(shop))
    xdotool(display, "key", "Return")
    wait_for("the dialog closed", 60, lambda: not (windows() - before))
    xdotool(display, "windowfocus", "--sync", wid)
    settle(display)
    # The chosen path is in the field: Enter there opens it, and the window holds that file.
    xdotool(display, "mousemove", "--window", wid, "500", "249", "click", "1")
    settle(display)
    xdotool(display, "key", "Return")

    def holds_the_shop():
        rc, out, err = kassa("bot", db=shop, check=False, timeout=60,
                             env={"KASSA_TELEGRAM_TOKEN": "1:x", "KASSA_TELEGRAM_API": "http://127.0.0.1:9"})
        return rc != 0 and "in use" in err

    wait_for("the chosen database opened by the window", 120, holds_the_shop)
    subprocess.run(["import", "-display", display, "-window", "root", SHOT.replace("till", "start")], check=True)
    window.kill()
    window.wait()
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)

    a_till_of_a_shop_on_postgresql(display, step)

    log("the installer")
    subprocess.run(["wine", SETUP, "/S"], env=ENV, timeout=600, check=True)
    r = subprocess.run(
        ["wine", "reg", "query", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\Kassa"],
        env=ENV, capture_output=True,
    )
    reg = r.stdout.decode("utf-8", "replace")
    if VERSION not in reg:
        fail(f"no Apps entry with the version: {reg}")
    loc = re.search(r"InstallLocation\s+REG_SZ\s+(.+)", reg)
    if not loc:
        fail(f"no install location: {reg}")
    installed = loc.group(1).strip() + "\\kassa.exe"
    log(f"  installed in {loc.group(1).strip()}")
    _, out, _ = kassa("--no-window", exe=installed)
    if "admin" not in out:
        fail(f"the installed kassa.exe --no-window said {out!r}")
    appdata = subprocess.run(["wine", "cmd", "/c", "echo", "%LOCALAPPDATA%"], env=ENV,
                             capture_output=True).stdout.decode().strip()
    unix_db = subprocess.run(["winepath", "-u", appdata + r"\Kassa\kassa\data\kassa.db"], env=ENV,
                             capture_output=True).stdout.decode().strip()
    if not os.path.isfile(unix_db):
        fail(f"the installed program made no database in %LOCALAPPDATA%: {unix_db}")
    log("  the installed window starts")
    # A display of its own, and a new wine session on it (wine's desktop process stays
    # bound to the display it started on).
    subprocess.run([WINESERVER, "-k"], env=ENV, capture_output=True)
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)
    xvfb.kill()
    xvfb.wait()
    DISPLAY_USED.clear()
    display = start_display(":78")
    window = subprocess.Popen(["wine", installed], env=dict(ENV, DISPLAY=display, KASSA_LOG="info"),
                              stdout=open(f"{WORK}/installed.log", "w"), stderr=subprocess.STDOUT)
    CHILDREN.append(window)
    wait_for("the installed window", 180, lambda: xdotool(display, "search", "--name", "^Kassa$"))
    window.kill()
    window.wait()
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)
    log("the uninstaller keeps the shop's database")
    uninstaller = loc.group(1).strip() + "\\uninstall.exe"
    subprocess.run(["wine", uninstaller, "/S", "_?=" + loc.group(1).strip()], env=ENV, timeout=300)
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)
    exe_unix = subprocess.run(["winepath", "-u", installed], env=ENV,
                              capture_output=True).stdout.decode().strip()
    if os.path.exists(exe_unix):
        fail("kassa.exe is still there after uninstalling")
    if not os.path.isfile(unix_db):
        fail("the uninstaller deleted the shop's database")
    cleanup()
    log("all passed")


def a_till_of_a_shop_on_postgresql(display, step):
    """kassa.exe as one till of a shop on a PostgreSQL server (started on the host by
    scripts/test-windows, reached through `Network`): the shop made from kassa.exe, the
    server remembered with its password, a sale from the keyboard on the server, then the
    network cut: the next sale is kept at the till, and sent when the network is back."""
    server = os.environ.get("KASSA_WIN_PG", "")
    m = re.match(r"^(postgres://[^@/]+@127\.0\.0\.1:)(\d+)(/\S+)$", server)
    if not m:
        fail("no PostgreSQL server in KASSA_WIN_PG: scripts/test-windows starts one")
    net = Network(int(m.group(2)))
    url = f"{m.group(1)}{net.port}{m.group(3)}"
    password = re.match(r"^postgres://[^:]+:([^@]+)@", url).group(1)

    log("a shop on PostgreSQL made by kassa.exe")
    cashier, cashier_password = demo_shop(url, 2)
    checks_pass(url, "the shop on the server")
    code, product = a_product(url)

    log("the server remembered, with its password, for this Windows user only")
    _, out, _ = kassa("remember-server", stdin=url + "\n")
    if password in out or "***" not in out:
        fail(f"remember-server said {out!r}")
    appdata = subprocess.run(["wine", "cmd", "/c", "echo", "%LOCALAPPDATA%"], env=ENV,
                             capture_output=True).stdout.decode().strip()
    conf = subprocess.run(["winepath", "-u", appdata + r"\Kassa\kassa\data\server.conf"],
                          env=ENV, capture_output=True).stdout.decode().strip()
    if not os.path.isfile(conf) or url not in open(conf).read():
        fail(f"the server's address is not in {conf}")
    _, out, _ = kassa("users")
    if cashier not in out:
        fail(f"kassa.exe users without --db did not list the server's staff: {out}")
    sold = sold_today(url, product)

    log("the window opens the remembered server; a sale from the keyboard")
    window, _ = open_window(display, [], "the log-in screen")
    step("the login typed", "type", "--delay", "30", cashier)
    step("the focus on the password", "key", "Tab")
    step("the password typed", "type", "--delay", "30", cashier_password)
    step("the till", "key", "Return", limit=120)
    step("the starting cash typed", "type", "--delay", "30", "50000")
    step("the till's search", "key", "Return")
    wait_for("the shift open on the server", 60, lambda: cashier_shift_open(url, cashier))
    step("the scan", "key", "--delay", "10", *list(code), "Return")
    step("the payment dialog", "key", "F12")
    xdotool(display, "key", "Return")
    wait_for("the sale on the server", 60, lambda: sold_today(url, product) == sold + 1)

    log("the network cut: the next sale is kept at the till")
    net.cut()
    step("the scan", "key", "--delay", "10", *list(code), "Return")
    # The status bar says the server is away (refreshed twice a second): held still for
    # longer than that, it is what the till shows before the sale is kept.
    before = status_bar_still(display)
    step("the payment dialog", "key", "F12")
    xdotool(display, "key", "Return")

    def waiting():
        _, out, _ = kassa("outbox")
        n = re.search(r": (\d+) sales waiting", out)
        return int(n.group(1)) if n else -1

    wait_for("the sale kept in the till's outbox", 60, lambda: waiting() == 1)
    # The status bar's count follows (the window repaints for it by itself).
    wait_for("the status bar counting the kept sale", 30,
             lambda: status_bar(display) != before)
    settle(display)
    subprocess.run(["import", "-display", display, "-window", "root", SHOT.replace("till", "offline")], check=True)
    log("the network back: the kept sale is sent once")
    net.mend()
    wait_for("the outbox sent", 120, lambda: waiting() == 0)
    wait_for("the kept sale on the server", 60, lambda: sold_today(url, product) == sold + 2)
    settle(display)
    if sold_today(url, product) != sold + 2:
        fail("the kept sale was counted twice")
    checks_pass(url, "the server after the outbox")
    window.kill()
    window.wait()
    subprocess.run([WINESERVER, "-w"], env=ENV, timeout=60)
    kassa("remember-server", "--forget")
    if os.path.exists(conf):
        fail("remember-server --forget left the file")


def demo_shop(db, days):
    """`kassa demo-data` into `db` (a file or a server): a cashier's login and password."""
    _, out, _ = kassa("demo-data", "--days", str(days), db=db)
    m = re.search(r"staff: (\S+) \(manager\), (\S+) and (\S+) \(cashiers\), password (\S+)", out)
    if not m:
        fail(f"demo-data printed {out!r}")
    return m.group(2), m.group(4)


def checks_pass(db, what):
    """`kassa check` and `kassa audit verify` both pass on `db`."""
    _, out, _ = kassa("check", db=db)
    if "all checks passed" not in out:
        fail(f"check on {what}: {out}")
    _, out, _ = kassa("audit", "verify", db=db)
    if "intact" not in out:
        fail(f"audit verify on {what}: {out}")


def a_product(db):
    """A product of the shop with an EAN-13 code: (code, name), from its exported catalog."""
    import csv
    path = f"{WORK}/catalog-{abs(hash(db))}.csv"
    kassa("export-catalog", "--out", win(path), db=db)
    rows = list(csv.reader(open(path, encoding="utf-8-sig")))
    header = rows[0]
    name_col = next(i for i, h in enumerate(header) if h.lower().startswith("nom"))
    found = [(m.group(1), r[name_col]) for r in rows[1:]
             for m in [re.search(r"\b(478\d{10})\b", ",".join(r))] if m]
    if not found:
        fail("no EAN-13 code in the exported catalog")
    return found[0]


def cashier_shift_open(shop, _login):
    """The shift opened at the window with 50 000 in the drawer is listed as open."""
    rc, out, _ = kassa("shifts", "--open", db=shop, check=False)
    return rc == 0 and any("50 000" in line for line in out.splitlines()[1:])


if __name__ == "__main__":
    try:
        main()
    except subprocess.TimeoutExpired as e:
        fail(f"timed out: {e}")
