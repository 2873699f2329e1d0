//! xxgk: government information-disclosure annual reports (政府信息公开工作年度报告) into
//! clean, checked records.
//!
//! The pipeline, one module per stage, data flowing one way:
//! [`read`] (bytes → [`model::Document`]) → [`layout`] (sections, table rows) →
//! [`template`] (official formats as data; rows and columns mapped by label) → [`rules`]
//! (勾稽 checks) → [`confidence`] → [`record`] (the contract's JSON). [`pipeline`] runs one
//! file through all of it; [`cli`] runs many.

pub mod batch;
pub mod cli;
pub mod confidence;
pub mod error;
pub mod eval;
#[doc(hidden)]
pub mod fuzzing;
pub mod isolate;
pub mod layout;
pub mod limits;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod read;
pub mod record;
pub mod rules;
pub mod store;
pub mod template;
pub mod worker;
