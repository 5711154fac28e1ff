//! A small map from periods to values, kept as a sorted vector.
//!
//! A measure holds a handful of targets and a few dozen actuals; a
//! `BTreeMap` would allocate room for eleven entries per node whatever the
//! count, which for a national dataset of a million values is most of the
//! memory. Lookups are binary searches, iteration is in period order.

use crate::period::Period;

#[derive(Clone, Debug)]
pub struct PeriodMap<T> {
    entries: Vec<(Period, T)>,
}

impl<T> Default for PeriodMap<T> {
    fn default() -> PeriodMap<T> {
        PeriodMap {
            entries: Vec::new(),
        }
    }
}

impl<T> PeriodMap<T> {
    pub fn new() -> PeriodMap<T> {
        PeriodMap::default()
    }

    fn find(&self, period: &Period) -> Result<usize, usize> {
        self.entries.binary_search_by(|(p, _)| p.cmp(period))
    }

    pub fn get(&self, period: &Period) -> Option<&T> {
        self.find(period).ok().map(|i| &self.entries[i].1)
    }

    pub fn contains_key(&self, period: &Period) -> bool {
        self.find(period).is_ok()
    }

    /// Inserts, returning the value it replaced.
    pub fn insert(&mut self, period: Period, value: T) -> Option<T> {
        match self.find(&period) {
            Ok(i) => Some(std::mem::replace(&mut self.entries[i].1, value)),
            Err(i) => {
                self.entries.insert(i, (period, value));
                None
            }
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Period, &T)> {
        self.entries.iter().map(|(p, v)| (p, v))
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Period> {
        self.entries.iter().map(|(p, _)| p)
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &T> {
        self.entries.iter().map(|(_, v)| v)
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Gives back spare capacity (once the map is complete).
    /// The same entries under new periods (`f` must keep them distinct).
    pub fn map_periods(self, f: impl Fn(Period) -> Period) -> PeriodMap<T> {
        let mut out = PeriodMap::new();
        for (p, v) in self.entries {
            out.insert(f(p), v);
        }
        out
    }

    pub fn shrink_to_fit(&mut self) {
        self.entries.shrink_to_fit();
    }
}

impl<'a, T> IntoIterator for &'a PeriodMap<T> {
    type Item = (&'a Period, &'a T);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Period, T)>,
        fn(&'a (Period, T)) -> (&'a Period, &'a T),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.entries.iter().map(|(p, v)| (p, v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_replacing() {
        let p = |s: &str| s.parse::<Period>().unwrap();
        let mut map = PeriodMap::new();
        assert_eq!(map.insert(p("2017/18 Q2"), 2), None);
        assert_eq!(map.insert(p("2016/17 Q4"), 1), None);
        assert_eq!(map.insert(p("2017/18"), 9), None);
        assert_eq!(map.insert(p("2017/18 Q2"), 3), Some(2));
        let keys: Vec<String> = map.keys().map(|k| k.to_string()).collect();
        assert_eq!(keys, ["2016/17 Q4", "2017/18", "2017/18 Q2"]);
        assert_eq!(map.get(&p("2017/18 Q2")), Some(&3));
        assert!(!map.contains_key(&p("2017/18 Q1")));
    }
}
