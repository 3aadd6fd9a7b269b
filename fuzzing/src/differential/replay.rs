//! Running interp's two translations, instantiation, exhaustion and
//! tie-breaks: everything that makes fresh instances, bringing them to the
//! run's state by replaying the calls since the world was instantiated (the
//! epoch), each replayed outcome checked against the one recorded.

use super::compare::{self, agree, instantiated, outcome};
use super::{Call, Divergence, Reference, Run, Step, Which, catch_panic, verbose};
use crate::engine::interp::Translation;
use crate::engine::{DiffInstance, FUEL, Failure, Outcome, REPLAY_FUEL, Stack, TrapCode};
use crate::value::Value;
use crate::watchdog::{self, Report};

pub(super) type Instance = Box<dyn DiffInstance>;

/// The label of divergences between interp's two translations.
const TRANSLATIONS: &str = "interp's metered translation";

/// interp's two translations of the world, in lockstep.
pub(super) struct Pair {
    pub metered: Instance,
    pub default: Instance,
}

impl Run {
    /// A watchdog report: the default translation did not finish `what`
    /// where the metered one finished using `fuel`.
    fn report(&self, what: &str, fuel: Option<u64>) -> Report {
        let fuel = fuel.map_or("unknown".to_string(), |f| f.to_string());
        Report {
            target: "differential",
            wasm: self.wasm.clone(),
            message: format!(
                "{}interp's default translation did not finish {what} where its metered \
                 translation finished using {fuel} fuel",
                watchdog::label()
            ),
        }
    }

    /// Instantiates interp's metered translation with `stack` and `fuel`,
    /// then, if that finished, the default translation under the watchdog,
    /// which must do exactly the same. The metered outcome if it exhausted.
    fn instantiate_interp(
        &mut self,
        stack: Stack,
        fuel: u64,
    ) -> Result<Outcome<Pair>, Box<Divergence>> {
        let engine = self.engines.get(Which::Interp(Translation::Metered, stack));
        let metered = engine.instantiate(&self.world, Some(fuel));
        if let Err(failure @ Failure::Exhausted(_)) = &metered {
            return Ok(Err(failure.clone()));
        }
        let report =
            self.report("instantiating", metered.as_ref().ok().and_then(|m| m.fuel_used()));
        let engine = self.engines.get(Which::Interp(Translation::Default, stack));
        let default = watchdog::watch(report, || engine.instantiate(&self.world, None));
        let same = match (&metered, &default) {
            (Err(x), Err(y)) => x == y,
            _ => agree_instances(&metered, &default),
        };
        if !same {
            let (a, b) = (instantiated(&metered), instantiated(&default));
            return Err(self.translations_diverge("instantiation".into(), a, b));
        }
        Ok(match (metered, default) {
            (Ok(metered), Ok(default)) => Ok(Pair { metered, default }),
            (_, default) => Err(default.err().expect("both failed alike")),
        })
    }

    /// Runs `call` in interp's metered translation with `fuel`, then, if it
    /// finished, in the default translation under the watchdog, which must
    /// do exactly the same (outcome and state). The metered outcome if it
    /// exhausted.
    pub(super) fn interp_call(
        &mut self,
        call: &Call,
        fuel: u64,
    ) -> Result<Outcome<Vec<Value>>, Box<Divergence>> {
        let mut pair = self.interp.take().expect("instantiated");
        let result = self.call_pair(&mut pair, call, fuel);
        self.interp = Some(pair);
        result
    }

    fn call_pair(
        &mut self,
        pair: &mut Pair,
        call: &Call,
        fuel: u64,
    ) -> Result<Outcome<Vec<Value>>, Box<Divergence>> {
        let metered = pair.metered.call(call.module, &call.name, &call.args, Some(fuel));
        if metered.as_ref().err().is_some_and(Failure::is_exhausted) {
            return Ok(metered);
        }
        let report = self.report(&call.describe(&self.world), pair.metered.fuel_used());
        let default = &mut pair.default;
        let result =
            watchdog::watch(report, || default.call(call.module, &call.name, &call.args, None));
        let point = self.call_point(call);
        if metered != result {
            return Err(self.translations_diverge(point, outcome(&metered), outcome(&result)));
        }
        self.stats.metered_calls += 1;
        if let Some((what, a, b)) = compare::state_difference(
            &self.exports,
            &self.module_names(),
            &*pair.metered,
            &*pair.default,
        ) {
            return Err(self.translations_diverge(format!("{what} after {point}"), a, b));
        }
        Ok(result)
    }

    /// Instantiates the world on both sides (again, after exhaustion on both
    /// sides) and compares. `Ok(false)` if it did not instantiate (alike on
    /// both sides, or exhausted on both), so no call can follow.
    pub(super) fn start(&mut self) -> Result<bool, Box<Divergence>> {
        self.epoch.clear();
        self.interp = None;
        self.reference = None;
        let reference = self.instantiate_reference(Stack::Normal, FUEL);
        let reference = match reference {
            Some(reference) => reference,
            None => {
                verbose(format_args!(
                    "wasmi 2 panicked instantiating; going on with the tie-breaker"
                ));
                self.excuse("reference-panic", "wasmi 2 panicked instantiating".to_string());
                self.stats.reference_bugs += 1;
                self.reference_kind = Reference::Legacy;
                self.instantiate_reference(Stack::Normal, FUEL)
                    .expect("the tie-breaker catches wasmi 2's panics")
            }
        };
        let (interp, reference) = if reference.as_ref().err().is_some_and(Failure::is_exhausted) {
            let interp = self.instantiate_interp(Stack::Normal, FUEL)?;
            if let Err(failure @ Failure::Exhausted(_)) = &interp {
                self.stats.exhausted += 1;
                let why = format!(
                    "instantiation: reference {}, interp {failure}",
                    instantiated(&reference)
                );
                self.excuse("exhausted", why);
                return Ok(false);
            }
            self.stats.replays += 1;
            let big = self.instantiate_reference(Stack::Large, REPLAY_FUEL);
            match big {
                Some(big) if !big.as_ref().err().is_some_and(Failure::is_exhausted) => {
                    (interp, big)
                }
                big => {
                    let big = big.map_or("a panic".to_string(), |b| instantiated(&b));
                    let legacy = self.legacy_instantiation(&interp, &big)?;
                    (interp, legacy)
                }
            }
        } else {
            let mut interp = self.instantiate_interp(Stack::Normal, REPLAY_FUEL)?;
            if let Err(Failure::Exhausted(TrapCode::StackOverflow)) = &interp {
                self.stats.replays += 1;
                interp = self.instantiate_interp(Stack::Large, REPLAY_FUEL)?;
            }
            if let Err(failure @ Failure::Exhausted(_)) = &interp {
                // interp cannot finish what the reference finished.
                let what = "instantiation".to_string();
                let a = format!("{failure} with 100x the fuel and a 16x stack");
                let b = instantiated(&reference);
                let legacy = self.tie_breaker_only(|run| {
                    run.engines.get(Which::Legacy(Stack::Large)).instantiate(&run.world, None)
                });
                return match legacy {
                    Some(Err(Failure::Exhausted(_))) => {
                        self.excuse(
                            "reference-bug",
                            format!(
                                "{what}: wasmi 2 {b}, interp and {} exhausted",
                                self.tie_breaker_name()
                            ),
                        );
                        self.stats.reference_bugs += 1;
                        self.reference_kind = Reference::Legacy;
                        Ok(false)
                    }
                    legacy => {
                        let tie = legacy.map_or(
                            "not consulted: the reference is the tie-breaker".into(),
                            |l| instantiated(&l),
                        );
                        Err(self.divergence(what, a, b, tie))
                    }
                };
            }
            (interp, reference)
        };
        self.compare_instantiation(interp, reference)
    }

    /// Instantiates the world in the reference with `stack` and `fuel`;
    /// `None` if wasmi 2 panicked.
    fn instantiate_reference(&mut self, stack: Stack, fuel: u64) -> Option<Outcome<Instance>> {
        let world = &self.world;
        match self.reference_kind {
            Reference::Wasmi2 => {
                let engine = self.engines.get(Which::Wasmi(stack));
                catch_panic(|| engine.instantiate(world, Some(fuel)))
            }
            Reference::Legacy => {
                Some(self.engines.get(Which::Legacy(stack)).instantiate(world, Some(fuel)))
            }
        }
    }

    /// `f(self)` if the reference is wasmi 2 (so the tie-breaker can be
    /// consulted), else `None`.
    fn tie_breaker_only<T>(&mut self, f: impl FnOnce(&mut Run) -> T) -> Option<T> {
        (self.reference_kind == Reference::Wasmi2).then(|| f(self))
    }

    /// The reference exhausts instantiating even with 100x the fuel (`big`
    /// says what it did) where interp finished: wasmi 0.31 instantiates; if
    /// it agrees with interp it becomes the reference.
    fn legacy_instantiation(
        &mut self,
        interp: &Outcome<Pair>,
        big: &str,
    ) -> Result<Outcome<Instance>, Box<Divergence>> {
        let legacy = self.tie_breaker_only(|run| {
            run.engines.get(Which::Legacy(Stack::Large)).instantiate(&run.world, None)
        });
        let default = interp.as_ref().map(|p| &p.default);
        let agrees = |legacy: &Outcome<Instance>| match (default, legacy) {
            (Ok(a), Ok(b)) => {
                let exports = a.exports();
                exports == b.exports()
                    && compare::state_difference(&exports, &[], &**a, &**b).is_none()
            }
            (Err(x), Err(y)) => agree::<()>(&Err(x.clone()), &Err(y.clone())),
            _ => false,
        };
        match legacy {
            Some(legacy) if agrees(&legacy) => {
                self.excuse(
                    "reference-bug",
                    format!("instantiation: wasmi 2 {big} with 100x fuel"),
                );
                self.stats.reference_bugs += 1;
                self.reference_kind = Reference::Legacy;
                Ok(legacy)
            }
            legacy => Err(self.divergence(
                "instantiation".into(),
                interp.as_ref().map_or_else(|f| f.to_string(), |_| "instantiated".into()),
                format!("exhausted with {FUEL} fuel; {big} with 100x the fuel and a 16x stack"),
                legacy.map_or("not consulted: the reference is the tie-breaker".into(), |l| {
                    instantiated(&l)
                }),
            )),
        }
    }

    /// Compares the instantiation on both sides; on a difference, consults
    /// the tie-breaker (and goes on against it if it sides with interp).
    fn compare_instantiation(
        &mut self,
        interp: Outcome<Pair>,
        mut reference: Outcome<Instance>,
    ) -> Result<bool, Box<Divergence>> {
        let default = interp.as_ref().map(|p| &p.default);
        let difference = match (default, &reference) {
            (Ok(a), Ok(b)) => {
                let (x, y) = (a.exports(), b.exports());
                if x != y {
                    let (x, y) = (compare::describe_exports(&x), compare::describe_exports(&y));
                    Some(("exports".to_string(), x, y))
                } else {
                    compare::state_difference(&x, &self.module_names(), &**a, &**b)
                        .map(|(what, a, b)| (format!("{what} after instantiation"), a, b))
                }
            }
            (Err(x), Err(y)) if agree::<()>(&Err(x.clone()), &Err(y.clone())) => None,
            (a, b) => {
                let a = a.map_or_else(|f| f.to_string(), |_| "instantiated".into());
                Some(("instantiation".to_string(), a, instantiated(b)))
            }
        };
        if let Some((what, a, b)) = difference {
            let legacy = self.tie_breaker_only(|run| {
                run.engines.get(Which::Legacy(Stack::Large)).instantiate(&run.world, None)
            });
            let legacy = match legacy {
                None => {
                    let why = "not consulted: the reference is the tie-breaker already".to_string();
                    return Err(self.divergence(what, a, b, why));
                }
                Some(legacy) => legacy,
            };
            let default = interp.as_ref().map(|p| &p.default);
            let agrees = match (default, &legacy) {
                (Ok(x), Ok(y)) => {
                    let exports = x.exports();
                    exports == y.exports()
                        && compare::state_difference(&exports, &[], &**x, &**y).is_none()
                }
                (Err(x), Err(y)) => agree::<()>(&Err(x.clone()), &Err(y.clone())),
                _ => false,
            };
            if !agrees {
                return Err(self.divergence(what, a, b, instantiated(&legacy)));
            }
            let tb = self.tie_breaker_name();
            verbose(format_args!("wasmi 2 bug at {what}: interp and {tb} {a}, wasmi 2 {b}"));
            self.excuse("reference-bug", format!("{what}: wasmi 2 {b}, interp and {tb} {a}"));
            self.stats.reference_bugs += 1;
            self.reference_kind = Reference::Legacy;
            reference = legacy;
        }
        match (interp, reference) {
            (Ok(pair), Ok(reference)) => {
                self.exports = pair.default.exports();
                self.interp = Some(pair);
                self.reference = Some(reference);
                self.stats.instantiated += 1;
                Ok(true)
            }
            _ => {
                self.stats.instantiation_traps += 1;
                Ok(false)
            }
        }
    }

    /// Runs `call` on both sides (the reference first) and compares: see the
    /// module documentation of [`super`].
    pub(super) fn run_call(&mut self, call: Call) -> Result<(), Box<Divergence>> {
        let reference = self.reference_call(&call)?;
        if reference.as_ref().err().is_some_and(Failure::is_exhausted) {
            return self.reference_exhausted(call, reference);
        }
        let mut interp = self.interp_call(&call, REPLAY_FUEL)?;
        if interp == Err(Failure::Exhausted(TrapCode::StackOverflow)) {
            interp = self.interp_stack_replay(&call)?;
        }
        if let Err(failure @ Failure::Exhausted(_)) = &interp {
            // interp cannot finish what the reference finished.
            let point = self.call_point(&call);
            let a = format!("{failure} with 100x the fuel and a 16x stack");
            let b = outcome(&reference);
            let legacy = self.tie_breaker_only(|run| run.legacy_replay(&call));
            return match legacy {
                Some(Ok((_, Err(Failure::Exhausted(_))))) => {
                    let why = format!(
                        "{point}: wasmi 2 {b}, interp and {} exhausted",
                        self.tie_breaker_name()
                    );
                    verbose(format_args!("{why}"));
                    self.excuse("reference-bug", why);
                    self.stats.reference_bugs += 1;
                    self.reference_kind = Reference::Legacy;
                    self.history.push(format!(
                        "{point} -> not finished by interp and {}; world instantiated afresh",
                        self.tie_breaker_name()
                    ));
                    self.start().map(drop)
                }
                legacy => {
                    let tie = match legacy {
                        Some(Ok((_, lr))) => format!("{point} -> {}", outcome(&lr)),
                        Some(Err(why)) => why,
                        None => "not consulted: the reference is the tie-breaker".into(),
                    };
                    Err(self.divergence(point, a, b, tie))
                }
            };
        }
        self.record(call, interp, reference)
    }

    /// The reference ran out of fuel or stack on `call`: interp runs it with
    /// the same fuel; if it runs out too, the world is instantiated afresh;
    /// otherwise the reference replays it with 100 times the fuel and a 16
    /// times larger stack, and both are compared.
    fn reference_exhausted(
        &mut self,
        call: Call,
        reference: Outcome<Vec<Value>>,
    ) -> Result<(), Box<Divergence>> {
        let point = self.call_point(&call);
        let interp = self.interp_call(&call, FUEL)?;
        if let Err(failure @ Failure::Exhausted(_)) = &interp {
            self.stats.exhausted += 1;
            let why = format!("{point}: reference {}, interp {failure}", outcome(&reference));
            self.excuse("exhausted", why);
            self.history
                .push(format!("{point} -> exhausted on both sides; world instantiated afresh"));
            return self.start().map(drop);
        }
        self.stats.replays += 1;
        let replayed = match self.reference_kind {
            Reference::Wasmi2 => {
                let (world, epoch) = (&self.world, &self.epoch);
                let engine = self.engines.get(Which::Wasmi(Stack::Large));
                catch_panic(|| replay(engine.instantiate(world, None), epoch, &call))
            }
            Reference::Legacy => Some(self.legacy_replay(&call)),
        };
        let (big, rb) = match replayed {
            Some(Ok((big, rb))) if !rb.as_ref().err().is_some_and(Failure::is_exhausted) => {
                (big, rb)
            }
            replayed => {
                // Still exhausted with 100x the fuel (or wasmi 2 panicked, or
                // parted from interp on replay): the tie-breaker decides.
                let big = match &replayed {
                    Some(Ok((_, rb))) => outcome(rb),
                    Some(Err(why)) => why.clone(),
                    None => "a panic".to_string(),
                };
                match self.tie_breaker_only(|run| run.legacy_replay(&call)) {
                    Some(Ok((legacy, lr))) if agree(&interp, &lr) => {
                        let why = format!(
                            "{point}: wasmi 2 {big} with 100x fuel; interp and {} {}",
                            self.tie_breaker_name(),
                            outcome(&lr)
                        );
                        verbose(format_args!("{why}"));
                        self.excuse("reference-bug", why);
                        self.stats.reference_bugs += 1;
                        self.reference_kind = Reference::Legacy;
                        (legacy, lr)
                    }
                    legacy => {
                        let tie = match legacy {
                            Some(Ok((_, lr))) => format!("{point} -> {}", outcome(&lr)),
                            Some(Err(why)) => why,
                            None => "not consulted: the reference is the tie-breaker".to_string(),
                        };
                        let used = self.interp.as_ref().and_then(|p| p.metered.fuel_used());
                        return Err(self.divergence(
                            point,
                            format!("{} (using {used:?} fuel)", outcome(&interp)),
                            format!(
                                "{} with {FUEL} fuel; {big} with 100x the fuel and a 16x stack",
                                outcome(&reference)
                            ),
                            tie,
                        ));
                    }
                }
            }
        };
        self.reference = Some(big);
        self.record(call, interp, rb)
    }

    /// interp ran out of stack on `call` where the reference finished:
    /// replays the epoch and the call on a fresh pair with a 16 times larger
    /// stack, which becomes interp's; returns the call's outcome.
    fn interp_stack_replay(&mut self, call: &Call) -> Result<Outcome<Vec<Value>>, Box<Divergence>> {
        self.stats.replays += 1;
        let pair = match self.instantiate_interp(Stack::Large, REPLAY_FUEL)? {
            Ok(pair) => pair,
            Err(failure) => {
                let what = "instantiation with a 16x stack".to_string();
                return Err(self.translations_diverge(
                    what,
                    failure.to_string(),
                    "instantiated".into(),
                ));
            }
        };
        self.interp = Some(pair);
        let epoch: Vec<(Call, Outcome<Vec<Value>>)> =
            self.epoch.iter().map(|s| (s.call.clone(), s.interp.clone())).collect();
        for (n, (step, recorded)) in epoch.iter().enumerate() {
            let replayed = self.interp_call(step, REPLAY_FUEL)?;
            if replayed != *recorded {
                let what = format!("call {} of the epoch, replayed with a 16x stack", n + 1);
                return Err(self.translations_diverge(what, outcome(&replayed), outcome(recorded)));
            }
        }
        self.interp_call(call, REPLAY_FUEL)
    }

    /// interp and wasmi 2 disagree at `point` (`call`'s outcome or the state
    /// after it): wasmi 0.31 replays the epoch and the call; if it sides with
    /// interp, the run goes on against it.
    pub(super) fn tie_break_call(
        &mut self,
        call: Call,
        interp: Outcome<Vec<Value>>,
        point: &str,
        interp_side: String,
        reference_side: String,
    ) -> Result<(), Box<Divergence>> {
        let (legacy, result) = match self.tie_breaker_only(|run| run.legacy_replay(&call)) {
            None => {
                let why = "not consulted: the reference is the tie-breaker already".to_string();
                return Err(self.divergence(point.to_string(), interp_side, reference_side, why));
            }
            Some(Err(why)) => {
                return Err(self.divergence(point.to_string(), interp_side, reference_side, why));
            }
            Some(Ok(pair)) => pair,
        };
        let default = &*self.interp.as_ref().expect("instantiated").default;
        let parted = if !agree(&interp, &result) {
            Some(format!("{point} -> {}", outcome(&result)))
        } else {
            compare::state_difference(&self.exports, &self.module_names(), default, &*legacy)
                .map(|(what, _, l)| format!("{what}: {l}"))
        };
        if let Some(why) = parted {
            return Err(self.divergence(point.to_string(), interp_side, reference_side, why));
        }
        let tb = self.tie_breaker_name();
        verbose(format_args!(
            "wasmi 2 bug at {point}: interp and {tb} {interp_side}, wasmi 2 {reference_side}"
        ));
        let why = format!("{point}: wasmi 2 {reference_side}, interp and {tb} {interp_side}");
        self.excuse("reference-bug", why);
        self.stats.reference_bugs += 1;
        self.reference_kind = Reference::Legacy;
        self.reference = Some(legacy);
        self.push_step(call, interp);
        Ok(())
    }

    /// A fresh wasmi 0.31 instance with a large stack, brought to the run's
    /// state by replaying the epoch, then `call` with 100 times the fuel (at
    /// least 2^30): the instance and the call's outcome, or where the replay
    /// parted from interp.
    pub(super) fn legacy_replay(
        &mut self,
        call: &Call,
    ) -> Result<(Instance, Outcome<Vec<Value>>), String> {
        let instance = self.engines.get(Which::Legacy(Stack::Large)).instantiate(&self.world, None);
        replay(instance, &self.epoch, call)
    }

    /// A divergence between interp's default translation and its metered
    /// translation (or a replay of it).
    fn translations_diverge(
        &self,
        what: String,
        metered: String,
        default: String,
    ) -> Box<Divergence> {
        let mut divergence = self.divergence(
            what,
            default,
            metered,
            "not consulted: interp disagrees with itself".into(),
        );
        divergence.reference = TRANSLATIONS;
        divergence
    }
}

/// Replays `epoch` on a reference `instance` (each outcome must agree with
/// interp's), then runs `call`, all with [`REPLAY_FUEL`]: the instance and
/// the call's outcome, or where the replay parted from interp.
fn replay(
    instance: Outcome<Instance>,
    epoch: &[Step],
    call: &Call,
) -> Result<(Instance, Outcome<Vec<Value>>), String> {
    replay_with(instance, epoch, call, Some(REPLAY_FUEL))
}

/// [`replay`], with `fuel` for `call`.
pub(super) fn replay_with(
    instance: Outcome<Instance>,
    epoch: &[Step],
    call: &Call,
    fuel: Option<u64>,
) -> Result<(Instance, Outcome<Vec<Value>>), String> {
    let mut instance = instance.map_err(|failure| format!("instantiation: {failure}"))?;
    for (n, step) in epoch.iter().enumerate() {
        let result =
            instance.call(step.call.module, &step.call.name, &step.call.args, Some(REPLAY_FUEL));
        if !agree(&step.interp, &result) {
            return Err(format!("call {} of the epoch -> {}", n + 1, outcome(&result)));
        }
    }
    let result = instance.call(call.module, &call.name, &call.args, fuel);
    Ok((instance, result))
}

/// Whether two instantiations agree: both instantiated with the same exports
/// and state, or the same trap.
fn agree_instances(a: &Outcome<Instance>, b: &Outcome<Instance>) -> bool {
    match (a, b) {
        (Ok(x), Ok(y)) => {
            let exports = x.exports();
            exports == y.exports() && compare::state_difference(&exports, &[], &**x, &**y).is_none()
        }
        (Err(x), Err(y)) => agree::<()>(&Err(x.clone()), &Err(y.clone())),
        _ => false,
    }
}
