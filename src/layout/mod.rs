//! Finding the report's structure in a document: the six parts, the title, and which blocks
//! belong to tables 二, 三 and 四.

pub mod meta;
pub mod org;
pub mod regions;
pub mod sections;
