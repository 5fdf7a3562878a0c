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

/// The address as it may be shown or logged: the password, if one was written into it
/// anyway, replaced by `***`.
pub fn shown(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    // user:password@host — the userinfo ends at the last '@' before the path.
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => {
                format!("{scheme}://{user}:***@{host}{}", &rest[authority_end..])
            }
            None => url.to_string(),
        },
        None => url.to_string(),
    }
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
}
