#![cfg(not(loom))]
//! Property test: any sequence of `Queue` operations on one thread behaves exactly like a
//! bounded `VecDeque`, at every capacity from 1 to 70 and with neighbour spreading on or off.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};

use kendall_queue::Queue;
use proptest::prelude::*;

#[derive(Clone, Debug)]
enum Op {
    Push(u32),
    Pop,
    ForcePush(u32),
    /// Push a batch; the values that do not fit must stay in the iterator.
    PushIter(Vec<u32>),
    /// Push a batch whose iterator promises `extra` more values than it has, and then runs
    /// dry (or, with `panics`, panics): only the values it yields go in.
    UnreliablePushIter {
        values: Vec<u32>,
        extra: usize,
        panics: bool,
    },
    /// Pop up to `max` values into a vector that already holds `already` values.
    PopInto {
        max: usize,
        already: usize,
    },
    Len,
    IsEmpty,
    IsFull,
    Debug,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => any::<u32>().prop_map(Op::Push),
        4 => Just(Op::Pop),
        2 => any::<u32>().prop_map(Op::ForcePush),
        2 => prop::collection::vec(any::<u32>(), 0..80).prop_map(Op::PushIter),
        1 => (prop::collection::vec(any::<u32>(), 0..80), 1usize..5, any::<bool>())
            .prop_map(|(values, extra, panics)| Op::UnreliablePushIter { values, extra, panics }),
        2 => (0usize..80, 0usize..3).prop_map(|(max, already)| Op::PopInto { max, already }),
        1 => Just(Op::Len),
        1 => Just(Op::IsEmpty),
        1 => Just(Op::IsFull),
        1 => Just(Op::Debug),
    ]
}

/// Capacities 1 to 70, with extra weight on the smallest rings where wrap-around is constant.
fn capacity() -> impl Strategy<Value = usize> {
    prop_oneof![1usize..=4, 1usize..=70]
}

/// An iterator that promises `extra` more values than it holds; asked for one of those, it
/// returns `None` or, with `panics`, panics.
struct Unreliable {
    values: std::vec::IntoIter<u32>,
    extra: usize,
    panics: bool,
}

impl Iterator for Unreliable {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        let v = self.values.next();
        if v.is_none() && self.panics {
            panic!("unreliable iterator panics on purpose");
        }
        v
    }
}

impl ExactSizeIterator for Unreliable {
    fn len(&self) -> usize {
        self.values.len() + self.extra
    }
}

/// Keeps the deliberate iterator panics out of the test output; every other panic still prints.
fn quiet_deliberate_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let deliberate = info
                .payload()
                .downcast_ref::<&str>()
                .is_some_and(|m| m.contains("on purpose"));
            if !deliberate {
                default(info);
            }
        }));
    });
}

/// Runs `ops` on a real queue and on the model side by side, failing at the first difference.
fn check(capacity: usize, spread: bool, ops: &[Op]) -> Result<(), TestCaseError> {
    quiet_deliberate_panics();
    let q = Queue::with_spread(capacity, spread).unwrap();
    // `None` is a slot an unreliable batch claimed and left unfilled: it takes room (and counts
    // in `len`) until a consumer steps over it.
    let mut model: VecDeque<Option<u32>> = VecDeque::with_capacity(capacity);
    let pop_value = |model: &mut VecDeque<Option<u32>>| loop {
        match model.pop_front() {
            Some(Some(v)) => return Some(v),
            Some(None) => continue,
            None => return None,
        }
    };
    prop_assert_eq!(q.capacity(), capacity);
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Push(v) => {
                let want = if model.len() < capacity {
                    model.push_back(Some(*v));
                    Ok(())
                } else {
                    Err(*v)
                };
                prop_assert_eq!(q.push(*v), want, "step {}: {:?}", step, op);
            }
            Op::Pop => prop_assert_eq!(q.pop(), pop_value(&mut model), "step {}", step),
            Op::ForcePush(v) => {
                // Evicting a skipped slot gives nothing back.
                let want = if model.len() == capacity {
                    model.pop_front().flatten()
                } else {
                    None
                };
                model.push_back(Some(*v));
                prop_assert_eq!(q.force_push(*v), want, "step {}: {:?}", step, op);
            }
            Op::PushIter(values) => {
                let fits = values.len().min(capacity - model.len());
                model.extend(values[..fits].iter().map(|&v| Some(v)));
                let mut iter = values.clone().into_iter();
                prop_assert_eq!(q.push_iter(&mut iter), fits, "step {}: {:?}", step, op);
                prop_assert_eq!(iter.as_slice(), &values[fits..], "step {}", step);
            }
            Op::UnreliablePushIter {
                values,
                extra,
                panics,
            } => {
                let free = capacity - model.len();
                let fits = values.len().min(free);
                // The batch claims slots for all it says it has (as far as they are free);
                // those it cannot fill are skipped.
                let claimed = (values.len() + extra).min(free);
                model.extend(values[..fits].iter().map(|&v| Some(v)));
                model.extend(std::iter::repeat_n(None, claimed - fits));
                let mut iter = Unreliable {
                    values: values.clone().into_iter(),
                    extra: *extra,
                    panics: *panics,
                };
                let result = catch_unwind(AssertUnwindSafe(|| q.push_iter(&mut iter)));
                // It panics only if it was asked for a value it does not have.
                let asked_beyond = values.len() < free;
                match result {
                    Ok(n) => {
                        prop_assert!(!(*panics && asked_beyond), "step {}: no panic", step);
                        prop_assert_eq!(n, fits, "step {}: {:?}", step, op);
                    }
                    Err(_) => prop_assert!(*panics && asked_beyond, "step {}: {:?}", step, op),
                }
                prop_assert_eq!(iter.values.as_slice(), &values[fits..], "step {}", step);
            }
            Op::PopInto { max, already } => {
                let mut out: Vec<u32> = (0..*already as u32).map(|i| u32::MAX - i).collect();
                let before = out.clone();
                // Skipped slots met on the way are stepped over, not counted.
                let mut want = Vec::new();
                while want.len() < *max {
                    match model.pop_front() {
                        Some(Some(v)) => want.push(v),
                        Some(None) => {}
                        None => break,
                    }
                }
                let n = want.len();
                prop_assert_eq!(q.pop_into(&mut out, *max), n, "step {}: {:?}", step, op);
                prop_assert_eq!(
                    &out[..*already],
                    &before[..],
                    "pop_into kept what was there"
                );
                prop_assert_eq!(&out[*already..], &want[..], "step {}", step);
            }
            Op::Len => prop_assert_eq!(q.len(), model.len(), "step {}", step),
            Op::IsEmpty => prop_assert_eq!(q.is_empty(), model.is_empty(), "step {}", step),
            Op::IsFull => {
                prop_assert_eq!(q.is_full(), model.len() == capacity, "step {}", step)
            }
            Op::Debug => {
                let shown = format!("{q:?}");
                prop_assert!(
                    shown.contains(&format!("len: {}", model.len())),
                    "{}",
                    shown
                );
                prop_assert!(
                    shown.contains(&format!("capacity: {capacity}")),
                    "{}",
                    shown
                );
            }
        }
        // Cheap invariants after every step, whatever the operation.
        prop_assert_eq!(q.len(), model.len(), "len after step {}: {:?}", step, op);
    }
    let rest: Vec<u32> = q.into_iter().collect();
    prop_assert_eq!(rest, model.into_iter().flatten().collect::<Vec<_>>());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn matches_a_vecdeque(
        capacity in capacity(),
        spread in any::<bool>(),
        ops in prop::collection::vec(op(), 0..300),
    ) {
        check(capacity, spread, &ops)?;
    }

    #[test]
    fn both_layouts_agree_with_the_model_on_the_same_ops(
        capacity in capacity(),
        ops in prop::collection::vec(op(), 0..300),
    ) {
        check(capacity, false, &ops)?;
        check(capacity, true, &ops)?;
    }
}

/// Long single-value runs go round the ring many times; the model must still agree.
#[test]
fn many_laps_match_the_model() {
    for capacity in 1..=70 {
        for spread in [false, true] {
            let mut ops = Vec::new();
            for lap in 0..(5 * 70 / capacity + 3) as u32 {
                ops.extend((0..capacity as u32 + 1).map(|i| Op::Push(lap * 1000 + i)));
                ops.push(Op::ForcePush(lap));
                ops.push(Op::PopInto {
                    max: capacity / 2 + 1,
                    already: 1,
                });
                ops.push(Op::PushIter((0..capacity as u32).collect()));
                ops.extend((0..capacity).map(|_| Op::Pop));
                ops.push(Op::IsEmpty);
            }
            check(capacity, spread, &ops).unwrap();
        }
    }
}
