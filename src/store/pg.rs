//! PostgreSQL, the engine for a shop with several tills (issue #30, `docs/several-tills.md`).
//!
//! What exists: the schema and the connection. [`open`] connects to a `postgres://` address
//! (the password from `PGPASSWORD` or `~/.pgpass`, never the command line; TLS with
//! `?sslmode=require` as libpq reads it), refuses a server whose schema is newer than this
//! program and runs the PostgreSQL migrations (`migrations-pg/`, one history with SQLite's
//! `migrations/`: same versions from 28 on). `kassa migrate --db postgres://…` prepares a
//! server with it. The use cases do not run on PostgreSQL yet: that is the engine seam, the
//! next step of `docs/several-tills.md`.
//!
//! Built where libpq is (Linux, Debian's `libpq-dev`). The Windows build has no PostgreSQL
//! yet (libpq does not build with MinGW, see the note); the one `cfg` for it is where this
//! module is declared.

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use super::StoreError;

/// The PostgreSQL migrations: from version 28 (the baseline) on, each beside SQLite's of the
/// same version.
pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations-pg");

pub use super::{shown_address as shown, split_password};

/// One of PostgreSQL's programs (`pg_dump`, `pg_restore`): the newest installed version's
/// (`/usr/lib/postgresql/N/bin` on Debian, `%ProgramFiles%\PostgreSQL\N\bin` on Windows; a
/// pg_dump must be as new as the server), else the PATH's.
pub fn program(name: &str) -> std::ffi::OsString {
    let file = format!("{name}{}", std::env::consts::EXE_SUFFIX);
    let mut found: Vec<(u32, std::path::PathBuf)> =
        std::fs::read_dir(crate::platform::postgresql_versions_dir())
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| {
                let version = e.file_name().to_str()?.parse::<u32>().ok()?;
                let exe = e.path().join("bin").join(&file);
                exe.is_file().then_some((version, exe))
            })
            .collect();
    found.sort();
    found
        .pop()
        .map(|(_, p)| p.into_os_string())
        .unwrap_or_else(|| name.into())
}

/// [`program`] for the database at `url`: the address goes in `--dbname` without its
/// password, which goes in `PGPASSWORD` (a command line is visible to every user of the
/// machine).
pub fn tool(name: &str, url: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(program(name));
    let (bare, password) = split_password(url);
    cmd.arg("--dbname").arg(bare);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    cmd.env("PGCONNECT_TIMEOUT", "15");
    cmd
}

/// Addresses given with a password, by the form they are shown in (`user:***@host`): the
/// program shows and passes around the shown form (window, logs, the threads that open
/// their own connection), and [`connect`] finds the password here, in this process's memory
/// only.
fn given() -> &'static std::sync::Mutex<std::collections::HashMap<String, String>> {
    static GIVEN: std::sync::OnceLock<std::sync::Mutex<std::collections::HashMap<String, String>>> =
        std::sync::OnceLock::new();
    GIVEN.get_or_init(Default::default)
}

/// `url` with libpq's waits bounded where the address does not set them: without them a
/// server behind a cut cable is waited for as long as TCP retries (minutes), and a till must
/// know within seconds that it sells on its own.
fn with_timeouts(url: &str) -> String {
    let mut out = url.to_string();
    for (key, value) in [
        ("connect_timeout", "5"),
        ("keepalives_idle", "5"),
        ("keepalives_interval", "2"),
        ("keepalives_count", "3"),
        ("tcp_user_timeout", "10000"),
    ] {
        if !url.contains(&format!("{key}=")) {
            out.push(if out.contains('?') { '&' } else { '?' });
            out.push_str(key);
            out.push('=');
            out.push_str(value);
        }
    }
    out
}

/// How a server's port answered a TCP connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Knock {
    /// It took the connection (or the address is a Unix socket: not tried).
    Open,
    /// It refused at once (the machine is there, the server is not).
    Refused,
    /// Nothing within half a second (a cut network, a machine switched off).
    Silent,
}

/// Knocks on the server's port at `url`: a till finds out within half a second that its
/// server is away, where libpq can wait seconds on a cut network.
pub fn knock(url: &str) -> Knock {
    use std::net::{TcpStream, ToSocketAddrs};
    let Some((host, port)) = host_port(url) else {
        return Knock::Open;
    };
    let Ok(addrs) = (host.as_str(), port).to_socket_addrs() else {
        return Knock::Silent;
    };
    let mut knock = Knock::Silent;
    for a in addrs {
        match TcpStream::connect_timeout(&a, std::time::Duration::from_millis(500)) {
            Ok(_) => return Knock::Open,
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => knock = Knock::Refused,
        }
    }
    knock
}

/// The TCP host and port of a `postgres://` address (`None`: a Unix socket, or a host given
/// in the options).
fn host_port(url: &str) -> Option<(String, u16)> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?']).next()?;
    let hostport = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if hostport.is_empty() || hostport.starts_with('%') || url.contains("host=") {
        return None;
    }
    let (host, port) = match hostport.strip_prefix('[') {
        Some(v6) => {
            let (h, after) = v6.split_once(']')?;
            (h, after.strip_prefix(':'))
        }
        None => match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        },
    };
    let port = port.map_or(Some(5432), |p| p.parse().ok())?;
    Some((host.to_string(), port))
}

/// A connection to the server at `url` (as given, or as shown after it was given), its
/// session in UTC (Kassa writes times as UTC without a zone, as on SQLite).
pub fn connect(url: &str) -> Result<PgConnection, StoreError> {
    let url = {
        let mut given = given().lock().unwrap_or_else(|e| e.into_inner());
        if split_password(url).1.is_some() && shown(url) != url {
            given.insert(shown(url), url.to_string());
            url.to_string()
        } else {
            given.get(url).cloned().unwrap_or_else(|| url.to_string())
        }
    };
    let url = url.as_str();
    let mut conn = PgConnection::establish(&with_timeouts(url)).map_err(|e| {
        // libpq's message names the host and the reason (never the password), over two
        // lines: one sentence here.
        let reason = e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let address = shown(url);
        let refused = [
            "authentication failed",
            "no password supplied",
            "does not exist",
        ]
        .iter()
        .any(|m| reason.contains(m));
        if refused {
            StoreError::ServerLogin { address, reason }
        } else {
            StoreError::ServerUnreachable { address, reason }
        }
    })?;
    conn.batch_execute("SET TIME ZONE 'UTC'")?;
    Ok(conn)
}

/// Runs the pending PostgreSQL migrations; refuses a server whose schema has a migration this
/// program does not know. Returns how many ran.
pub fn migrate(conn: &mut PgConnection, url: &str) -> Result<usize, StoreError> {
    let (known, applied) = (known()?, applied(conn)?);
    refuse_newer(&known, &applied, url)?;
    // Nothing to run: nothing asked of the server. (diesel's runner first makes its history
    // table if missing, which the tills' role of least rights may not: `kassa grant-till`.)
    if known.iter().all(|v| applied.contains(v)) {
        return Ok(0);
    }
    let ran = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(ran.len())
}

/// Refuses a server whose schema has a migration this program does not know (written by a
/// newer Kassa).
pub fn check_not_newer(conn: &mut PgConnection, url: &str) -> Result<(), StoreError> {
    refuse_newer(&known()?, &applied(conn)?, url)
}

/// [`StoreError::Newer`] for the first `applied` version this program does not `know`.
fn refuse_newer(known: &[String], applied: &[String], url: &str) -> Result<(), StoreError> {
    match applied.iter().find(|v| !known.contains(v)) {
        Some(version) => Err(StoreError::Newer {
            path: shown(url),
            version: version.clone(),
        }),
        None => Ok(()),
    }
}

/// The versions of this program's PostgreSQL migrations.
fn known() -> Result<Vec<String>, StoreError> {
    Ok(
        diesel::migration::MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS)
            .map_err(|e| StoreError::Migration(e.to_string()))?
            .iter()
            .map(|m| m.name().version().to_string())
            .collect(),
    )
}

/// The versions applied to the server, read as any role may (diesel's own reading first makes
/// its history table, which the tills' role may not); none on a new database.
fn applied(conn: &mut PgConnection) -> Result<Vec<String>, StoreError> {
    #[derive(QueryableByName)]
    struct Version {
        #[diesel(sql_type = diesel::sql_types::Text)]
        version: String,
    }
    #[derive(QueryableByName)]
    struct Exists {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        exists: bool,
    }
    let e: Exists =
        diesel::sql_query("SELECT to_regclass('__diesel_schema_migrations') IS NOT NULL AS exists")
            .get_result(conn)?;
    if !e.exists {
        return Ok(Vec::new());
    }
    Ok(
        diesel::sql_query("SELECT version FROM __diesel_schema_migrations")
            .load::<Version>(conn)?
            .into_iter()
            .map(|v| v.version)
            .collect(),
    )
}

/// [`connect`] and [`migrate`]: the shop's schema on the server is current.
pub fn open(url: &str) -> Result<(PgConnection, usize), StoreError> {
    let mut conn = connect(url)?;
    let ran = migrate(&mut conn, url)?;
    Ok((conn, ran))
}

#[cfg(test)]
mod tests {
    #[test]
    fn host_and_port_of_an_address() {
        let hp = |u: &str| super::host_port(u);
        assert_eq!(
            hp("postgres://kassa@127.0.0.1:5433/shop"),
            Some(("127.0.0.1".into(), 5433))
        );
        assert_eq!(
            hp("postgres://u:p@w@db.shop.uz/shop?sslmode=require"),
            Some(("db.shop.uz".into(), 5432))
        );
        assert_eq!(
            hp("postgres://u@[::1]:6000/shop"),
            Some(("::1".into(), 6000))
        );
        assert_eq!(hp("postgres://u@%2Frun%2Fpostgresql/shop"), None);
        assert_eq!(hp("postgres:///shop?host=/run/postgresql"), None);
    }
}
