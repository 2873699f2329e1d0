//! The official templates as data, and mapping a document's tables onto them.

pub mod cell;
pub mod data;
pub mod detect;
pub mod keys;
pub mod label;
pub mod map;
pub mod rows;
