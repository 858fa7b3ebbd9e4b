//! Tools for advisers who write trees: lints, reports, scenarios, scaffolding, pictures and
//! explanations. Built on the core; never imports a front end.
pub mod check;
pub mod explain;
pub mod generate;
pub mod graph;
pub mod lint;
pub mod report;
pub mod scaffold;
pub mod scenario;
