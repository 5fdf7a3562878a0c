//! A throwaway PostgreSQL server for a test program: `initdb` in a temporary folder and
//! `pg_ctl start` on a free loopback port, as the unprivileged user `nobody` when the tests
//! run as root (PostgreSQL refuses to run as root). No mock: Debian's own server, the one a
//! shop runs. Stopped (immediately) and removed when dropped.
//!
//! The server programs are found through `KASSA_PG_BIN`, else `pg_config --bindir`, else
//! `store::pg::program`'s search (the newest `/usr/lib/postgresql/*/bin`). Missing, the test
//! fails and says what to install.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct PgServer {
    dir: TempDir,
    bin: PathBuf,
    pub port: u16,
    /// Whether the server waits for the disk at each commit (off for tests: faster, and a
    /// test's server dies with its data anyway; on for measurements, as a shop runs it).
    durable: bool,
}

/// The folder of `initdb` and `pg_ctl`.
fn server_programs() -> PathBuf {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file();
    if let Some(dir) = std::env::var_os("KASSA_PG_BIN").map(PathBuf::from) {
        assert!(
            has_initdb(&dir),
            "KASSA_PG_BIN={} has no initdb",
            dir.display()
        );
        return dir;
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_initdb(&dir) {
            return dir;
        }
    }
    // The program's own search for PostgreSQL's tools (Debian's newest version folder).
    let initdb = PathBuf::from(kassa::store::pg::program("initdb"));
    match initdb.parent() {
        Some(dir) if has_initdb(dir) => dir.to_path_buf(),
        _ => panic!(
            "PostgreSQL's server programs (initdb, pg_ctl) are not installed: \
             sudo apt-get install postgresql (see the README's set-up)"
        ),
    }
}

/// `nobody`'s user and group ids when running as root (PostgreSQL will not run as root).
fn unprivileged() -> Option<(u32, u32)> {
    // SAFETY: geteuid has no preconditions; getpwnam returns a pointer to static storage
    // that is read at once, on this thread.
    unsafe {
        if libc::geteuid() != 0 {
            return None;
        }
        let pw = libc::getpwnam(c"nobody".as_ptr());
        assert!(!pw.is_null(), "no user 'nobody' to run PostgreSQL as");
        Some(((*pw).pw_uid, (*pw).pw_gid))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

impl PgServer {
    /// A new cluster with the superuser `kassa` (trust authentication on loopback), started.
    pub fn start() -> PgServer {
        PgServer::start_with(false)
    }

    /// [`PgServer::start`] with every commit on the disk (`fsync` on), as a shop's server.
    pub fn start_durable() -> PgServer {
        PgServer::start_with(true)
    }

    fn start_with(durable: bool) -> PgServer {
        let bin = server_programs();
        // As root the server runs as `nobody`, who must reach the folder: under /tmp rather
        // than a TMPDIR that may lie in root's home.
        let builder = tempfile::Builder::new().prefix("kassa-pg").clone();
        let dir = match unprivileged() {
            Some(_) if Path::new("/tmp").is_dir() => builder.tempdir_in("/tmp"),
            _ => builder.tempdir(),
        }
        .expect("a temporary folder");
        if let Some((uid, gid)) = unprivileged() {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid)).expect("chown");
        }
        let mut server = PgServer {
            dir,
            bin,
            port: 0,
            durable,
        };
        let out = server.run(
            "initdb",
            &[
                "-D",
                &server.data().display().to_string(),
                "-A",
                "trust",
                "-U",
                "kassa",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        assert!(out.status.success(), "initdb failed: {}", text(&out));
        // Another test program may take the port between our look and the server's bind:
        // then try another.
        for _ in 0..5 {
            server.port = free_port();
            if server.try_start() {
                return server;
            }
        }
        panic!(
            "PostgreSQL did not start: {}",
            std::fs::read_to_string(server.log()).unwrap_or_default()
        );
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn log(&self) -> PathBuf {
        self.dir.path().join("server.log")
    }

    /// One of the server's programs, as `nobody` when we are root.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let exe = self.bin.join(program);
        let mut cmd = match unprivileged() {
            Some((uid, gid)) => {
                let mut c = Command::new("setpriv");
                c.arg(format!("--reuid={uid}"))
                    .arg(format!("--regid={gid}"))
                    .arg("--clear-groups")
                    .arg(exe);
                c
            }
            None => Command::new(exe),
        };
        cmd.args(args)
            .current_dir(self.dir.path())
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"))
    }

    fn try_start(&self) -> bool {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync={} -c max_connections=60",
            self.port,
            self.dir.path().display(),
            if self.durable { "on" } else { "off" }
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-o",
                &options,
                "-l",
                &self.log().display().to_string(),
                "-w",
                "-t",
                "120",
                "start",
            ],
        )
        .status
        .success()
    }

    /// Stops the server at once (as a power cut or a killed service would).
    pub fn stop(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().display().to_string(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// Turns TLS on with a new self-signed certificate for 127.0.0.1 (made by `openssl`, in
    /// the server's folder); returns the certificate, for `sslrootcert`. Connections made
    /// after the server has reloaded its settings may use TLS.
    pub fn enable_tls(&self) -> PathBuf {
        let (crt, key) = (
            self.data().join("server.crt"),
            self.data().join("server.key"),
        );
        let out = Command::new("openssl")
            .args([
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            ])
            .args([
                "-subj",
                "/CN=127.0.0.1",
                "-addext",
                "subjectAltName=IP:127.0.0.1",
            ])
            .arg("-keyout")
            .arg(&key)
            .arg("-out")
            .arg(&crt)
            .output()
            .expect("run openssl");
        assert!(out.status.success(), "openssl: {}", text(&out));
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o600))
                .expect("chmod the key");
        }
        if let Some((uid, gid)) = unprivileged() {
            for f in [&crt, &key] {
                std::os::unix::fs::chown(f, Some(uid), Some(gid)).expect("chown");
            }
        }
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        let mut admin = diesel::pg::PgConnection::establish(&self.url("postgres"))
            .expect("connect to the test server");
        // One statement each: ALTER SYSTEM refuses to run in a batch's implicit transaction.
        for sql in ["ALTER SYSTEM SET ssl = 'on'", "SELECT pg_reload_conf()"] {
            admin.batch_execute(sql).expect("turn TLS on");
        }
        crt
    }

    /// Starts it again on the same port.
    pub fn restart(&self) {
        assert!(
            self.try_start(),
            "PostgreSQL did not start again: {}",
            std::fs::read_to_string(self.log()).unwrap_or_default()
        );
    }

    /// The address of database `name` on this server.
    pub fn url(&self, name: &str) -> String {
        format!("postgres://kassa@127.0.0.1:{}/{name}", self.port)
    }

    /// A new empty database; returns its address.
    pub fn create_database(&self, name: &str) -> String {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        let mut admin = diesel::pg::PgConnection::establish(&self.url("postgres"))
            .expect("connect to the test server");
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("CREATE DATABASE");
        self.url(name)
    }
}

/// This test program's server for [`super::fresh`] on PostgreSQL: started at the first use,
/// shared by the program's tests (a database each), stopped and removed by a watchdog when
/// the program ends (a `static` is never dropped; the watchdog also covers a killed run).
pub fn shared() -> &'static PgServer {
    static SERVER: std::sync::OnceLock<PgServer> = std::sync::OnceLock::new();
    SERVER.get_or_init(|| {
        let server = PgServer::start();
        server.watch(std::process::id());
        server
    })
}

impl PgServer {
    /// Stops the server and removes its folder once process `pid` is gone.
    fn watch(&self, pid: u32) {
        let data = self.data().display().to_string();
        let pg_ctl = self.bin.join("pg_ctl").display().to_string();
        let as_owner = match unprivileged() {
            Some((uid, gid)) => format!("setpriv --reuid={uid} --regid={gid} --clear-groups "),
            None => String::new(),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; \
             {as_owner}'{pg_ctl}' -D '{data}' -m immediate -w stop >/dev/null 2>&1; \
             rm -rf '{}'",
            self.dir.path().display()
        );
        // Never waited for: it outlives this process on purpose (init reaps it).
        #[allow(clippy::zombie_processes)]
        Command::new("sh")
            .arg("-c")
            .arg(script)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the server's watchdog");
    }

    /// A new, empty database with a name of its own; returns its address.
    pub fn new_database(&self) -> String {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.create_database(&format!("shop{n}"))
    }
}

/// Every row of every table of the shop on `conn`, as text (the file's fingerprint's
/// counterpart): equal fingerprints mean an unchanged database.
pub fn fingerprint(conn: &mut kassa::store::db::Db) -> String {
    use kassa::store::db::prelude::*;
    #[derive(QueryableByName)]
    struct Dump {
        #[diesel(sql_type = diesel::sql_types::Text)]
        dump: String,
    }
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1",
    )
    .load(conn)
    .expect("tables");
    let mut out = String::new();
    for t in tables {
        let d: Dump = diesel::sql_query(format!(
            "SELECT coalesce(string_agg(x, chr(10) ORDER BY x), '') AS dump
             FROM (SELECT t::text AS x FROM \"{}\" t) q",
            t.name
        ))
        .get_result(conn)
        .expect("dump");
        out.push_str(&format!("== {}\n{}\n", t.name, d.dump));
    }
    out
}

impl Drop for PgServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}
