//! The fitted accuracy table behind field confidence, and how it is fitted.
//!
//! `model.json` beside this file is written by `xxgk eval --fit` from a calibration corpus (see
//! README, "Confidence"); it is data, not code. Each level maps a feature key to the number of
//! fields observed right and in total; a prediction starts from the overall rate and moves, level
//! by level, toward each finer level's observed rate in proportion to how much data backs it.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use super::Features;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Model {
    /// How many observations a level's rate must have to outweigh its parent's.
    pub strength: f64,
    /// Fields right, fields in total, over everything.
    pub base: [u64; 2],
    /// Per level (coarse to fine): feature key → [right, total].
    pub levels: Vec<BTreeMap<String, [u64; 2]>>,
}

/// The compiled-in model.
pub static MODEL: LazyLock<Model> = LazyLock::new(|| {
    serde_json::from_str(include_str!("model.json")).unwrap_or_else(|_| Model::fallback())
});

/// No prediction is more certain than this: even a perfectly read field can be wrong in ways no
/// calibration document showed.
const MAX_P: f64 = 0.9999;
const MIN_P: f64 = 0.001;

impl Model {
    /// A model with no observations: a flat, modest confidence.
    pub fn fallback() -> Model {
        Model {
            strength: 20.0,
            base: [9, 10],
            levels: vec![],
        }
    }

    pub fn predict(&self, f: &Features) -> f64 {
        let [r, n] = self.base;
        let mut p = (r as f64 + 1.0) / (n as f64 + 2.0);
        for (level, key) in self.levels.iter().zip(f.levels()) {
            if let Some(&[r, n]) = level.get(&key) {
                p = (r as f64 + self.strength * p) / (n as f64 + self.strength);
            }
        }
        p.clamp(MIN_P, MAX_P)
    }

    /// Fits the table from observed fields: (features, was it right).
    pub fn fit(observations: &[(Features, bool)], strength: f64) -> Model {
        let mut levels: Vec<BTreeMap<String, [u64; 2]>> = vec![BTreeMap::new(); 5];
        let mut base = [0u64; 2];
        for (f, right) in observations {
            base[1] += 1;
            base[0] += u64::from(*right);
            for (level, key) in levels.iter_mut().zip(f.levels()) {
                let e = level.entry(key).or_insert([0, 0]);
                e[1] += 1;
                e[0] += u64::from(*right);
            }
        }
        Model {
            strength,
            base,
            levels,
        }
    }
}
