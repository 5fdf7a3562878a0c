//! Kassa: a point-of-sale program for small shops in Uzbekistan.
//!
//! Layers (see ARCHITECTURE.md): [`domain`] is pure computation; [`app`] holds the use cases
//! and is the only writer; [`store`] is diesel + SQLite; [`cli`] and (later) the GUI, the
//! devices and the bot call [`app`].

pub mod app;
pub mod bot;
pub mod cli;
pub mod demo;
pub mod devices;
pub mod domain;
pub mod export;
pub mod fiscal;
pub mod i18n;
pub mod import;
pub mod platform;
pub mod store;
pub mod ui;
