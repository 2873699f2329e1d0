//! The canonical keys of table 三 and 四 cells, formatted once per process: rules name a cell
//! by (row, column) and get its key as a `&'static str` and a dense slot, instead of
//! formatting `requests.{row}.{col}` and hashing it for every lookup.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::data::{TABLE3_COLUMNS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_GROUPS};

struct Keys {
    /// Table 三 cells row-major (`TABLE3_ROWS` × `TABLE3_COLUMNS`), then table 四 cells
    /// group-major (`TABLE4_GROUPS` × `TABLE4_COLUMNS`); a key's position is its slot.
    all: Vec<&'static str>,
    slot: HashMap<&'static str, usize>,
}

fn keys() -> &'static Keys {
    static KEYS: OnceLock<Keys> = OnceLock::new();
    KEYS.get_or_init(|| {
        let t3 = TABLE3_ROWS.iter().flat_map(|r| {
            TABLE3_COLUMNS
                .iter()
                .map(move |c| format!("requests.{}.{}", r.key, c.key))
        });
        let t4 = TABLE4_GROUPS
            .iter()
            .flat_map(|(g, _, _)| TABLE4_COLUMNS.iter().map(move |c| format!("{g}.{}", c.key)));
        // Built once for the life of the process: leaking gives the keys a static lifetime.
        let all: Vec<&'static str> = t3
            .chain(t4)
            .map(|k| &*Box::leak(k.into_boxed_str()))
            .collect();
        let slot = all.iter().enumerate().map(|(i, k)| (*k, i)).collect();
        Keys { all, slot }
    })
}

/// How many slots there are (table 三 and 四 cells).
pub fn slots() -> usize {
    keys().all.len()
}

/// The slot of table 三 row `row` (index into `TABLE3_ROWS`), column `col` (into
/// `TABLE3_COLUMNS`).
pub fn requests_slot(row: usize, col: usize) -> usize {
    row * TABLE3_COLUMNS.len() + col
}

/// The slot of table 四 group `group` (index into `TABLE4_GROUPS`), column `col` (into
/// `TABLE4_COLUMNS`).
pub fn review_slot(group: usize, col: usize) -> usize {
    TABLE3_ROWS.len() * TABLE3_COLUMNS.len() + group * TABLE4_COLUMNS.len() + col
}

/// The key of a slot.
pub fn key(slot: usize) -> &'static str {
    keys().all[slot]
}

/// The slot of a canonical table 三 or 四 key; None for any other key.
pub fn slot_of(key: &str) -> Option<usize> {
    keys().slot.get(key).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_name_their_cells() {
        let r = TABLE3_ROWS.iter().position(|r| r.key == "granted").unwrap();
        let c = TABLE3_COLUMNS
            .iter()
            .position(|c| c.key == "total")
            .unwrap();
        assert_eq!(key(requests_slot(r, c)), "requests.granted.total");
        assert_eq!(slot_of("requests.granted.total"), Some(requests_slot(r, c)));
        let g = TABLE4_GROUPS.len() - 1;
        let c = TABLE4_COLUMNS.len() - 1;
        assert_eq!(
            key(review_slot(g, c)),
            format!("{}.{}", TABLE4_GROUPS[g].0, TABLE4_COLUMNS[c].key)
        );
        assert_eq!(slots(), review_slot(g, c) + 1);
        assert_eq!(slot_of("proactive.rules.made"), None);
    }
}
