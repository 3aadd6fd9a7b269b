//! Medians, spreads and geometric means of repeated measurements, and the
//! few formatting helpers the tables share.

/// Repeated measurements of one quantity on one engine.
#[derive(Debug, Default, Clone)]
pub struct Samples(Vec<f64>);

impl Samples {
    pub fn push(&mut self, x: f64) {
        self.0.push(x);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn median(&self) -> f64 {
        let mut sorted = self.0.clone();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        assert!(n > 0, "median of no samples");
        if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 }
    }

    /// (largest - smallest) / median: a noise gauge.
    pub fn spread(&self) -> f64 {
        let min = self.0.iter().copied().fold(f64::INFINITY, f64::min);
        let max = self.0.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (max - min) / self.median()
    }
}

pub fn geomean(ratios: &[f64]) -> f64 {
    (ratios.iter().map(|r| r.ln()).sum::<f64>() / ratios.len() as f64).exp()
}

/// `a / b` of two medians, when both engines ran and neither median is
/// zero (a CPU time below the 10 ms resolution can be).
pub fn ratio(a: &Samples, b: &Samples) -> Option<f64> {
    (!a.is_empty() && !b.is_empty() && a.median() > 0.0 && b.median() > 0.0)
        .then(|| a.median() / b.median())
}

/// A median with `decimals` places, or `-` when the engine did not run.
pub fn cell(samples: &Samples, decimals: usize) -> String {
    if samples.is_empty() { "-".to_string() } else { format!("{:.*}", decimals, samples.median()) }
}

pub fn ratio_cell(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "-".to_string(), |r| format!("{r:.2}"))
}
