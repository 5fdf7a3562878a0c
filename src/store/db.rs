//! The engine seam: [`Db`], one open connection to either engine, and [`RunOnDb`], diesel's
//! `load`/`execute`/`first`/`get_result` taking a `&mut Db`.
//!
//! The use cases are written once in diesel's query builder and run on either engine: a
//! query is type-checked for SQLite *and* PostgreSQL where it is run (each `RunOnDb` method
//! requires the query to be valid for both connections and dispatches on the variant), so a
//! query one engine cannot run is a compile error, not a surprise in a shop. diesel's own
//! `MultiConnection` would do the dispatch too, but its common backend lacks what the use
//! cases use (RETURNING, upserts, batch inserts: `docs/several-tills.md`).
//!
//! `app/` imports [`prelude`] instead of `diesel::prelude` (which would make `load` and
//! friends ambiguous). Hand-written SQL goes through [`Db::sql`], which numbers `?`
//! placeholders as PostgreSQL wants them.
//!
//! Writes: [`Db::write_transaction`] is SQLite's `BEGIN IMMEDIATE` (one writer at a time on
//! the file) and, on PostgreSQL, a transaction that first takes the shop's write lock (a
//! transaction-scoped advisory lock): the tills' writes take turns exactly as on SQLite, so
//! no stock count, debt, drawer or receipt number can lose an update, and no use case has to
//! be retried (`docs/several-tills.md` has the measurement).
//!
//! Both engines on every platform: the Windows build links a libpq built with MinGW from
//! PostgreSQL's sources (`scripts/windows/build-libpq`).

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::query_dsl::methods::{ExecuteDsl, LimitDsl};
use diesel::query_dsl::{LoadQuery, RunQueryDsl};
use diesel::result::QueryResult;
use diesel::sqlite::SqliteConnection;

use diesel::pg::PgConnection;

/// What `app/` imports: diesel's prelude without `RunQueryDsl` (whose methods take a
/// concrete connection), with [`RunOnDb`] (the same methods taking a [`Db`]).
pub mod prelude {
    pub use super::{Db, RunOnDb, columns_of};
    pub use diesel::associations::{Associations, GroupedBy, Identifiable};
    pub use diesel::connection::Connection;
    pub use diesel::deserialize::{Queryable, QueryableByName};
    pub use diesel::expression::IntoSql as _;
    pub use diesel::expression::{
        AppearsOnTable, BoxableExpression, Expression, IntoSql, Selectable, SelectableExpression,
    };
    pub use diesel::expression::{SelectableHelper, functions::define_sql_function};
    pub use diesel::expression_methods::*;
    pub use diesel::insertable::Insertable;
    pub use diesel::query_builder::{AsChangeset, DecoratableTarget};
    pub use diesel::query_dsl::{BelongingToDsl, CombineDsl, JoinOnDsl, QueryDsl};
    pub use diesel::query_source::{Column, JoinTo, QuerySource, Table};
    pub use diesel::result::{OptionalEmptyChangesetExtension, OptionalExtension, QueryResult};
    pub use diesel::sqlite::SqliteConnection;
    pub use diesel::{allow_tables_to_appear_in_same_query, joinable, table};
}

/// The columns a `Selectable` row type reads, for `.select(…)` and `.returning(…)`: the plain
/// column tuple, the same on both engines (diesel's `as_select()` is tied to one backend).
/// Row types derive `Queryable` beside `Selectable`, which reads the columns in this order.
pub fn columns_of<T>() -> T::SelectExpression
where
    T: diesel::Selectable<diesel::sqlite::Sqlite>,
{
    T::construct_selection()
}

/// The shop's write lock on PostgreSQL: the key of the transaction-scoped advisory lock every
/// write takes first ("KASSA" in ASCII).
pub const WRITE_LOCK_KEY: i64 = 0x004b_4153_5341;

/// One open connection to the shop's database.
pub enum Db {
    /// The embedded engine: the shop's file.
    Sqlite(SqliteConnection),
    /// A PostgreSQL server shared by several tills.
    Pg(PgConnection),
}

/// Which engine a [`Db`] talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// Runs `$body` with `$c` bound to the concrete connection inside `$db`; the body is
/// compiled once per engine.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            $crate::store::db::Db::Sqlite($c) => $body,
            $crate::store::db::Db::Pg($c) => $body,
        }
    };
}

impl Db {
    pub fn engine(&self) -> Engine {
        match self {
            Db::Sqlite(_) => Engine::Sqlite,
            Db::Pg(_) => Engine::Postgres,
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.engine() == Engine::Postgres
    }

    /// The SQLite connection, when the shop is a file (pragmas, backups, checks of the file).
    pub fn sqlite(&mut self) -> Option<&mut SqliteConnection> {
        match self {
            Db::Sqlite(c) => Some(c),
            Db::Pg(_) => None,
        }
    }

    /// Hand-written SQL for this engine: SQLite's `?` placeholders become `$1`, `$2`… on
    /// PostgreSQL (a `?` inside a quoted string is left alone) and SQLite's index hints
    /// (`INDEXED BY name`) are left out there.
    pub fn sql(&self, text: &str) -> String {
        match self.engine() {
            Engine::Sqlite => text.to_string(),
            Engine::Postgres => number_placeholders(&without_index_hints(text)),
        }
    }

    /// Runs statements without results (set-up, pragmas).
    pub fn batch_execute(&mut self, sql: &str) -> QueryResult<()> {
        on_db!(self, c => c.batch_execute(sql))
    }

    /// Runs `f` in a transaction (a savepoint inside one): committed when it returns `Ok`,
    /// rolled back otherwise.
    pub fn transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Db) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        on_db!(&mut *self, c => AnsiTransactionManager::begin_transaction(c))?;
        self.finish(f)
    }

    /// Runs `f` as a read on one snapshot: SQLite's deferred transaction (a reader sees the
    /// file as of its first read); on PostgreSQL `REPEATABLE READ`, so that a report's
    /// several queries see the same sales (READ COMMITTED would let a sale committed between
    /// two of them into one and not the other).
    pub fn read_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Db) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        match self {
            Db::Sqlite(c) => AnsiTransactionManager::begin_transaction(c)?,
            Db::Pg(c) => AnsiTransactionManager::begin_transaction_sql(
                c,
                "BEGIN ISOLATION LEVEL REPEATABLE READ",
            )?,
        }
        self.finish(f)
    }

    /// Runs `f` as the only writer: `BEGIN IMMEDIATE` on SQLite; on PostgreSQL a transaction
    /// that first waits for the shop's write lock (see the module's note).
    pub fn write_transaction<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Db) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        match self {
            Db::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
            Db::Pg(c) => {
                AnsiTransactionManager::begin_transaction(c)?;
                if let Err(e) =
                    c.batch_execute(&format!("SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"))
                {
                    let _ = AnsiTransactionManager::rollback_transaction(c);
                    return Err(e.into());
                }
            }
        }
        self.finish(f)
    }

    fn finish<T, E, F>(&mut self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut Db) -> Result<T, E>,
        E: From<diesel::result::Error>,
    {
        match f(self) {
            Ok(value) => {
                on_db!(&mut *self, c => AnsiTransactionManager::commit_transaction(c))?;
                Ok(value)
            }
            Err(e) => {
                on_db!(&mut *self, c => AnsiTransactionManager::rollback_transaction(c))?;
                Err(e)
            }
        }
    }
}

/// `text` without SQLite's `INDEXED BY name` clauses.
fn without_index_hints(text: &str) -> String {
    const HINT: &str = "INDEXED BY ";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(HINT) {
        out.push_str(&rest[..at]);
        let after = &rest[at + HINT.len()..];
        let name_end = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        rest = &after[name_end..];
    }
    out.push_str(rest);
    out
}

/// `?` → `$n` (and SQLite's numbered `?n` → `$n`) outside quoted strings and identifiers.
fn number_placeholders(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut n = 0;
    let mut quote: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(ch) = chars.next() {
        match quote {
            Some(q) => {
                if ch == q {
                    quote = None;
                }
                out.push(ch);
            }
            None => match ch {
                '\'' | '"' => {
                    quote = Some(ch);
                    out.push(ch);
                }
                '?' => {
                    out.push('$');
                    if chars.peek().is_some_and(char::is_ascii_digit) {
                        while let Some(d) = chars.next_if(char::is_ascii_digit) {
                            out.push(d);
                        }
                    } else {
                        n += 1;
                        out.push_str(&n.to_string());
                    }
                }
                _ => out.push(ch),
            },
        }
    }
    out
}

/// diesel's `RunQueryDsl` with the connection as a parameter: a [`Db`] (the query must be
/// valid on every engine this build has, and runs on the one `db` holds) or one concrete
/// connection (inside [`on_db!`](crate::on_db), where a query is built per engine, such as
/// a boxed query, which is tied to one backend).
pub trait RunOnDb: Sized {
    fn execute(self, c: &mut impl Runs<Self>) -> QueryResult<usize> {
        c.execute_query(self)
    }

    fn load<'query, U>(self, c: &mut impl Loads<'query, Self, U>) -> QueryResult<Vec<U>> {
        c.load_rows(self)
    }

    fn get_results<'query, U>(self, c: &mut impl Loads<'query, Self, U>) -> QueryResult<Vec<U>> {
        c.load_rows(self)
    }

    fn get_result<'query, U>(self, c: &mut impl Loads<'query, Self, U>) -> QueryResult<U> {
        c.load_rows_iter(self)?
            .next()
            .unwrap_or(Err(diesel::result::Error::NotFound))
    }

    fn first<'query, U>(
        self,
        c: &mut impl Loads<'query, <Self as LimitDsl>::Output, U>,
    ) -> QueryResult<U>
    where
        Self: LimitDsl,
    {
        c.load_rows_iter(LimitDsl::limit(self, 1))?
            .next()
            .unwrap_or(Err(diesel::result::Error::NotFound))
    }

    /// The rows one by one (SQLite streams them; PostgreSQL's are fetched first).
    #[allow(clippy::type_complexity)]
    fn load_iter<'conn, 'query: 'conn, U: 'conn>(
        self,
        c: &'conn mut (impl Loads<'query, Self, U> + 'conn),
    ) -> QueryResult<Box<dyn Iterator<Item = QueryResult<U>> + 'conn>>
    where
        Self: 'conn,
    {
        c.load_rows_iter(self)
    }
}

/// Bounded by diesel's own `RunQueryDsl`, so that only queries get these methods (a `Vec`'s
/// `first` stays the slice's).
impl<Q: RunQueryDsl<SqliteConnection>> RunOnDb for Q {}

/// A connection that runs the statement `Q`.
pub trait Runs<Q> {
    fn execute_query(&mut self, q: Q) -> QueryResult<usize>;
}

/// A connection that loads rows of `U` with the query `Q`.
pub trait Loads<'query, Q, U> {
    fn load_rows(&mut self, q: Q) -> QueryResult<Vec<U>>;
    #[allow(clippy::type_complexity)]
    fn load_rows_iter<'conn>(
        &'conn mut self,
        q: Q,
    ) -> QueryResult<Box<dyn Iterator<Item = QueryResult<U>> + 'conn>>
    where
        'query: 'conn,
        Q: 'conn,
        U: 'conn;
}

/// [`Runs`] and [`Loads`] for one concrete connection type.
macro_rules! concrete {
    ($conn:ty) => {
        impl<Q: ExecuteDsl<$conn>> Runs<Q> for $conn {
            fn execute_query(&mut self, q: Q) -> QueryResult<usize> {
                ExecuteDsl::execute(q, self)
            }
        }
        impl<'query, Q, U> Loads<'query, Q, U> for $conn
        where
            Q: LoadQuery<'query, $conn, U>,
        {
            fn load_rows(&mut self, q: Q) -> QueryResult<Vec<U>> {
                RunQueryDsl::load(q, self)
            }
            fn load_rows_iter<'conn>(
                &'conn mut self,
                q: Q,
            ) -> QueryResult<Box<dyn Iterator<Item = QueryResult<U>> + 'conn>>
            where
                'query: 'conn,
                Q: 'conn,
                U: 'conn,
            {
                Ok(Box::new(RunQueryDsl::load_iter::<
                    U,
                    diesel::connection::DefaultLoadingMode,
                >(q, self)?))
            }
        }
    };
}
concrete!(SqliteConnection);
concrete!(PgConnection);

/// [`Runs`] and [`Loads`] for [`Db`], given the bounds of the engines this build has.
macro_rules! on_every_engine {
    ($($conn:ty),+) => {
        impl<Q> Runs<Q> for Db
        where
            $($conn: Runs<Q>,)+
        {
            fn execute_query(&mut self, q: Q) -> QueryResult<usize> {
                on_db!(self, c => c.execute_query(q))
            }
        }
        impl<'query, Q, U> Loads<'query, Q, U> for Db
        where
            $($conn: Loads<'query, Q, U>,)+
        {
            fn load_rows(&mut self, q: Q) -> QueryResult<Vec<U>> {
                on_db!(self, c => c.load_rows(q))
            }
            fn load_rows_iter<'conn>(
                &'conn mut self,
                q: Q,
            ) -> QueryResult<Box<dyn Iterator<Item = QueryResult<U>> + 'conn>>
            where
                'query: 'conn,
                Q: 'conn,
                U: 'conn,
            {
                on_db!(self, c => c.load_rows_iter(q))
            }
        }
    };
}
on_every_engine!(SqliteConnection, PgConnection);

#[cfg(test)]
mod tests {
    use super::{number_placeholders, without_index_hints};

    #[test]
    fn index_hints_are_left_out() {
        assert_eq!(
            without_index_hints("FROM sale_items i INDEXED BY sale_items_last_sold\n WHERE"),
            "FROM sale_items i \n WHERE"
        );
    }

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(
            number_placeholders("SELECT a FROM t WHERE b = ? AND c = '?' AND \"d?\" = ?"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND \"d?\" = $2"
        );
        assert_eq!(
            number_placeholders("x >= ?1 AND x < ?2 OR y >= ?1"),
            "x >= $1 AND x < $2 OR y >= $1"
        );
    }
}
