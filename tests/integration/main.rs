//! Cross-module laws of the crate, in one test binary (one module per public area).

mod money;
mod ratio;
mod testkit;
