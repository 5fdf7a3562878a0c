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

/// The address without its password, and the password (percent-decoded), if one was written
/// into it.
pub fn split_password(url: &str) -> (String, Option<String>) {
    let Some((scheme, rest)) = url.split_once("://") else {
        return (url.to_string(), None);
    };
    // user:password@host — the userinfo ends at the last '@' before the path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let Some((userinfo, host)) = authority.rsplit_once('@') else {
        return (url.to_string(), None);
    };
    let Some((user, password)) = userinfo.split_once(':') else {
        return (url.to_string(), None);
    };
    (
        format!("{scheme}://{user}@{host}{}", &rest[authority_end..]),
        Some(percent_decode(password)),
    )
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The address as it may be shown or logged: the password, if one was written into it
/// anyway, replaced by `***`.
pub fn shown(url: &str) -> String {
    match split_password(url) {
        (bare, Some(_)) => match bare.split_once('@') {
            Some((before, after)) => format!("{before}:***@{after}"),
            None => bare,
        },
        (bare, None) => bare,
    }
}

/// One of PostgreSQL's programs (`pg_dump`, `pg_restore`): the newest of Debian's
/// (`/usr/lib/postgresql/N/bin`; a pg_dump must be as new as the server), else the PATH's.
pub fn program(name: &str) -> std::ffi::OsString {
    let mut found: Vec<(u32, std::path::PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let exe = e.path().join("bin").join(name);
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

/// A connection to the server at `url`, its session in UTC (Kassa writes times as UTC
/// without a zone, as on SQLite).
pub fn connect(url: &str) -> Result<PgConnection, StoreError> {
    let mut conn = PgConnection::establish(url).map_err(|e| StoreError::Open {
        path: shown(url),
        // libpq's message names the host and the reason (never the password), over two
        // lines: one sentence here.
        reason: e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    })?;
    conn.batch_execute("SET TIME ZONE 'UTC'")?;
    Ok(conn)
}

/// Runs the pending PostgreSQL migrations; refuses a server whose schema has a migration this
/// program does not know. Returns how many ran.
pub fn migrate(conn: &mut PgConnection, url: &str) -> Result<usize, StoreError> {
    if let Some(version) = super::unknown_migration(conn, MIGRATIONS)? {
        return Err(StoreError::Newer {
            path: shown(url),
            version,
        });
    }
    let ran = conn
        .run_pending_migrations(MIGRATIONS)
        .map_err(|e| StoreError::Migration(e.to_string()))?;
    Ok(ran.len())
}

/// [`connect`] and [`migrate`]: the shop's schema on the server is current.
pub fn open(url: &str) -> Result<(PgConnection, usize), StoreError> {
    let mut conn = connect(url)?;
    let ran = migrate(&mut conn, url)?;
    Ok((conn, ran))
}

#[cfg(test)]
mod tests {
    use super::shown;

    #[test]
    fn a_password_in_the_address_is_never_shown() {
        assert_eq!(
            shown("postgres://kassa:s3cret@db.local:5432/shop?sslmode=require"),
            "postgres://kassa:***@db.local:5432/shop?sslmode=require"
        );
        assert_eq!(
            shown("postgresql://kassa@127.0.0.1/shop"),
            "postgresql://kassa@127.0.0.1/shop"
        );
        assert_eq!(
            shown("postgres://db.local/shop"),
            "postgres://db.local/shop"
        );
        // An '@' inside the password: the host is after the last one.
        assert_eq!(
            shown("postgres://kassa:p@ss@db/shop"),
            "postgres://kassa:***@db/shop"
        );
    }

    #[test]
    fn the_password_is_taken_out_of_the_address_for_the_tools() {
        use super::split_password;
        assert_eq!(
            split_password("postgres://kassa:p%40ss%3Aw@db:5433/shop"),
            (
                "postgres://kassa@db:5433/shop".into(),
                Some("p@ss:w".into())
            )
        );
        assert_eq!(
            split_password("postgres://kassa@db/shop"),
            ("postgres://kassa@db/shop".into(), None)
        );
        assert_eq!(
            split_password("postgres://kassa:100%@db/shop").1.as_deref(),
            Some("100%")
        );
    }
}
