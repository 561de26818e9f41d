//! The `puhui` command line.
fn main() {}
