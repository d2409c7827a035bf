//! End-to-end tests: they run the real `healthcat` binary, as a user would, each in a fresh
//! temporary directory with the developer's own healthcat settings removed from the environment.
//!
//! One test binary for all of them (faster to link); modules by feature.

mod backup;
mod browser;
mod catalog;
mod changes;
mod config;
mod crash;
mod dcat_ap_view;
mod federation;
mod harness;
mod harvest;
mod harvest_kinds;
mod harvest_peers;
mod hostile;
mod import_export;
mod keys;
mod ops;
mod parity;
mod prerequisites;
mod profile_parity;
mod quality;
mod remote_store;
mod review;
mod search;
mod series;
mod serve;
mod sheet;
mod sparql;
mod sso;
mod usage;
mod validate;
mod webdriver;
