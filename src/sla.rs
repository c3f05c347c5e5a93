//! SLAs.
