//! Turns flags and an optional scenario file into a simulator `Scenario` (flags win), and
//! derives the sweep variants of it (another load, server count or capacity).

use std::path::PathBuf;

use kendall_sim::{Distribution, Scenario, Stage, Station, Tandem};

use super::args::{RunArgs, ScenarioArgs, VaryArgs};
use super::dist;
use super::error::{CliError, number};
use super::file_checks;
use super::range::round12;
use super::scenario_file::{DistSpec, ScenarioFile, StationSpec};

/// A distribution as given, with the directory its trace path is relative to.
#[derive(Debug, Clone)]
struct DistInput {
    spec: DistSpec,
    base_dir: PathBuf,
}

/// Everything known about the scenario after merging the file and the flags.
#[derive(Debug, Clone, Default)]
pub struct ScenarioInput {
    name: Option<String>,
    /// Free text from the file, shown in reports.
    pub description: Option<String>,
    time_unit: Option<String>,
    model: Option<String>,
    arrival_rate: Option<f64>,
    service_rate: Option<f64>,
    arrival: Option<DistInput>,
    service: Option<DistInput>,
    servers: Option<usize>,
    capacity: Option<usize>,
    /// Set for a `[pipeline]` file: the stages in order.
    stages: Option<Vec<StageInput>>,
}

/// One pipeline stage as given in the file.
#[derive(Debug, Clone)]
struct StageInput {
    service: Option<DistInput>,
    service_rate: Option<f64>,
    servers: Option<usize>,
    capacity: Option<usize>,
}

/// A scenario ready to run, with the labels reports need.
#[derive(Debug, Clone)]
pub struct Built {
    /// The simulator's scenario.
    pub scenario: Scenario,
    /// Name for titles: the file's `name`, else the Kendall notation.
    pub name: String,
    /// Unit of time for labels.
    pub time_unit: String,
}

impl Built {
    /// The single station; sweeps vary a station's parameters.
    pub fn station(&self) -> Result<&Station, CliError> {
        self.scenario
            .as_station()
            .ok_or_else(|| CliError::new("sweep: only single-station scenarios can be swept"))
    }
}

/// Merges the scenario file (if any) with the flags. Returns the scenario input, the run
/// settings and the sweep settings, each with flags taking precedence over the file.
pub fn load(
    args: &ScenarioArgs,
    run: Option<&RunArgs>,
    vary: Option<&VaryArgs>,
) -> Result<(ScenarioInput, RunArgs, VaryArgs), CliError> {
    let file = match &args.scenario {
        Some(path) => {
            let mut file = ScenarioFile::read(path)?;
            file_checks::drop_overridden(&mut file, args, run, vary);
            file_checks::check(&file)
                .map_err(|e| CliError::new(format!("scenario file '{}', {e}", path.display())))?;
            file
        }
        None => ScenarioFile::default(),
    };
    let cwd = PathBuf::from(".");
    let default_station = StationSpec::default();
    let station = file.station.as_ref().unwrap_or(&default_station);
    // A pipeline's arrival stream stands where a station's would.
    let (file_arrival, file_arrival_rate) = match &file.pipeline {
        Some(p) => (&p.arrival, p.arrival_rate),
        None => (&station.arrival, station.arrival_rate),
    };
    let flag_dist = |s: &Option<String>| {
        s.as_ref().map(|text| DistInput {
            spec: DistSpec::Text(text.clone()),
            base_dir: cwd.clone(),
        })
    };
    let file_dist = |d: &Option<DistSpec>| {
        d.as_ref().map(|spec| DistInput {
            spec: spec.clone(),
            base_dir: file.base_dir.clone(),
        })
    };
    // A flag rate replaces a file distribution for the same side, and vice versa.
    let (arrival, arrival_rate) = match (flag_dist(&args.arrival), args.arrival_rate) {
        (Some(d), _) => (Some(d), None),
        (None, Some(r)) => (None, Some(r)),
        (None, None) => (file_dist(file_arrival), file_arrival_rate),
    };
    let (service, service_rate) = match (flag_dist(&args.service), args.service_rate) {
        (Some(d), _) => (Some(d), None),
        (None, Some(r)) => (None, Some(r)),
        (None, None) => (file_dist(&station.service), station.service_rate),
    };
    let input = ScenarioInput {
        name: file.name.clone(),
        description: file.description.clone(),
        time_unit: args.time_unit.clone().or(file.time_unit.clone()),
        model: args.model.clone().or(station.model.clone()),
        arrival_rate,
        service_rate,
        arrival,
        service,
        servers: args.servers.or(station.servers),
        capacity: args.capacity.or(station.capacity),
        stages: file.pipeline.as_ref().map(|p| {
            p.stage
                .iter()
                .map(|st| StageInput {
                    service: file_dist(&st.service),
                    service_rate: st.service_rate,
                    servers: st.servers,
                    capacity: st.capacity,
                })
                .collect()
        }),
    };
    let default_run = RunArgs::default();
    let run = run.unwrap_or(&default_run);
    let f = &file.run;
    let (customers, horizon) = match (run.customers, run.horizon) {
        (None, None) => (f.customers, f.horizon),
        other => other,
    };
    let (replications, precision) = match (run.replications, run.precision) {
        (None, None) => (f.replications, f.precision),
        other => other,
    };
    let merged_run = RunArgs {
        customers,
        horizon,
        warmup: run
            .warmup
            .clone()
            .or(f.warmup.as_ref().map(|w| w.to_flag())),
        replications,
        precision,
        seed: run.seed.or(f.seed),
        threads: run.threads.or(f.threads),
    };
    let default_vary = VaryArgs::default();
    let vary = vary.unwrap_or(&default_vary);
    let merged_vary =
        if vary.load.is_some() || vary.servers_range.is_some() || vary.capacity_range.is_some() {
            vary.clone()
        } else {
            VaryArgs {
                load: file.sweep.load.clone(),
                servers_range: file.sweep.servers.clone(),
                capacity_range: file.sweep.capacity.clone(),
            }
        };
    Ok((input, merged_run, merged_vary))
}

impl ScenarioInput {
    /// For a load sweep the load sets the arrival rate: when none was given, start from a
    /// placeholder rate that every sweep point replaces.
    pub fn default_arrival_for_load_sweep(&mut self) {
        if self.arrival.is_none() && self.arrival_rate.is_none() {
            self.arrival_rate = Some(1.0);
        }
    }

    /// Builds the scenario as given.
    pub fn build(&self) -> Result<Built, CliError> {
        if let Some(stages) = &self.stages {
            return self.build_pipeline(stages);
        }
        let (arrival, service, mut servers, mut capacity) = if let Some(model) = &self.model {
            let (a_letter, s_letter) = letters(model)?;
            let arrival = self.side("arrival", a_letter, &self.arrival, self.arrival_rate)?;
            let service = self.side("service", s_letter, &self.service, self.service_rate)?;
            let scenario = Scenario::from_kendall_with(model, arrival, service)
                .map_err(|e| CliError::field("model", e))?;
            let st = scenario.as_station().cloned().ok_or_else(|| {
                CliError::field("model", "only single-station models are supported")
            })?;
            (st.arrival, st.service, st.servers, st.capacity)
        } else {
            let arrival = self.side("arrival", "M", &self.arrival, self.arrival_rate)?;
            let service = self.side("service", "M", &self.service, self.service_rate)?;
            (arrival, service, 1, None)
        };
        if let Some(c) = self.servers {
            // usize::MAX would silently mean infinite servers; that is spelt M/M/inf.
            if !(1..=Station::MAX_SERVERS).contains(&c) {
                return Err(CliError::new(format!(
                    "servers must be an integer in [1, {}] (for infinite servers use \
                     --model M/M/inf), got {c}",
                    Station::MAX_SERVERS
                )));
            }
            servers = c;
        }
        if self.capacity.is_some() {
            capacity = self.capacity;
        }
        let scenario = Scenario::station(arrival, service, servers, capacity)?;
        Ok(self.label(scenario))
    }

    /// A `[pipeline]`: the arrival stream through every stage in series.
    fn build_pipeline(&self, stages: &[StageInput]) -> Result<Built, CliError> {
        let station_only = [
            ("--model", self.model.is_some()),
            (
                "--service / --service-rate",
                self.service.is_some() || self.service_rate.is_some(),
            ),
            ("--servers", self.servers.is_some()),
            ("--capacity", self.capacity.is_some()),
        ];
        if let Some((flag, _)) = station_only.iter().find(|(_, given)| *given) {
            return Err(CliError::new(format!(
                "{flag} applies to a single station; a pipeline sets its stages in \
                 [[pipeline.stage]] tables"
            )));
        }
        let arrival = self.side("arrival", "M", &self.arrival, self.arrival_rate)?;
        let stages = stages
            .iter()
            .enumerate()
            .map(|(i, st)| {
                let field = format!("stage {} service", i + 1);
                let service = match (&st.service, st.service_rate) {
                    (Some(d), _) => dist::parse(&field, &d.spec, &d.base_dir)?,
                    (None, Some(rate)) => {
                        Distribution::exponential(rate).map_err(|e| CliError::field(&field, e))?
                    }
                    (None, None) => {
                        return Err(CliError::new(format!(
                            "{field}: missing; give service = \"DIST\" or service_rate = RATE"
                        )));
                    }
                };
                Stage::new(service, st.servers.unwrap_or(1), st.capacity)
                    .map_err(|e| CliError::field(&format!("stage {}", i + 1), e))
            })
            .collect::<Result<Vec<_>, CliError>>()?;
        let tandem = Tandem::new(arrival, stages)?;
        Ok(self.label(Scenario::from(tandem)))
    }

    fn label(&self, scenario: Scenario) -> Built {
        Built {
            name: self.name.clone().unwrap_or_else(|| scenario.kendall()),
            time_unit: self
                .time_unit
                .clone()
                .unwrap_or_else(|| "time units".into()),
            scenario,
        }
    }

    /// One side's distribution: explicit, else from the Kendall letter and a rate.
    fn side(
        &self,
        field: &str,
        letter: &str,
        explicit: &Option<DistInput>,
        rate: Option<f64>,
    ) -> Result<Distribution, CliError> {
        if let Some(d) = explicit {
            return dist::parse(field, &d.spec, &d.base_dir);
        }
        let Some(rate) = rate else {
            return Err(CliError::new(format!(
                "{field}: missing; give --{field}-rate RATE (a number > 0) or --{field} DIST{}; \
                 in a scenario file, {field}_rate = RATE or {field} = \"DIST\"",
                if self.model.is_none() {
                    ", or --model with rates"
                } else {
                    ""
                }
            )));
        };
        let rate_field = format!("{field}-rate");
        let bad_rate = || {
            CliError::new(format!(
                "{rate_field} must be a finite number > 0, got {rate}"
            ))
        };
        if !(rate.is_finite() && rate > 0.0) {
            return Err(bad_rate());
        }
        if !rate.recip().is_finite() {
            return Err(CliError::new(format!(
                "{rate_field} must be large enough that the mean 1/rate is finite, got {}",
                number(rate)
            )));
        }
        let upper = letter.to_ascii_uppercase();
        let d = match upper.as_str() {
            "M" => Distribution::exponential(rate),
            "D" => Distribution::deterministic(1.0 / rate),
            "G" | "GI" => {
                return Err(CliError::new(format!(
                    "{field}: the model's letter '{letter}' needs an explicit distribution: \
                     give --{field} DIST (e.g. lognormal:mean=1,cv=2)"
                )));
            }
            e if e.starts_with('E') => {
                let k: u32 = e[1..].parse().map_err(|_| {
                    CliError::field(
                        "model",
                        format!(
                            "'{letter}' must be Ek with k an integer in [1, {}], e.g. E2",
                            Distribution::MAX_ERLANG_PHASES
                        ),
                    )
                })?;
                Distribution::erlang(k, rate)
            }
            _ => {
                return Err(CliError::field(
                    "model",
                    format!("unknown {field} letter '{letter}'; allowed: M, D, Ek, G, GI"),
                ));
            }
        };
        d.map_err(|e| CliError::field(field, e))
    }
}

/// The arrival and service letters of Kendall notation.
fn letters(model: &str) -> Result<(&str, &str), CliError> {
    let mut parts = model.trim().split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(s), Some(_)) if !a.is_empty() && !s.is_empty() => Ok((a.trim(), s.trim())),
        _ => Err(CliError::new(format!(
            "model: '{model}' is not Kendall notation A/S/c[/K], e.g. M/M/1, M/D/2/10, G/G/3"
        ))),
    }
}

/// The scenario with its arrival process scaled so that the load per server ρ = λ/(c·μ)
/// (for a pipeline: at its busiest stage) equals `load`.
pub fn at_load(base: &Built, load: f64) -> Result<Built, CliError> {
    if !(load.is_finite() && load > 0.0) {
        return Err(CliError::new(format!(
            "load must be a finite number > 0, got {load}"
        )));
    }
    let (arrival, rho) = if let Some(st) = base.scenario.as_station() {
        if st.is_infinite_server() {
            return Err(CliError::new(
                "load: a load sweep needs a finite number of servers; use --arrival-rate for M/M/∞",
            ));
        }
        (&st.arrival, st.rho())
    } else if let Some(t) = base.scenario.as_tandem() {
        let lambda = t.arrival_rate();
        let rho = t.stages.iter().map(|s| s.rho(lambda)).fold(0.0, f64::max);
        (&t.arrival, rho)
    } else {
        return Err(CliError::new(
            "load: this kind of scenario cannot be swept over load",
        ));
    };
    // λ' = λ·load/ρ, rounded to 12 digits so `exp:0.9` does not print as `exp:0.8999999999999999`.
    let rate = round12(load * (1.0 / arrival.mean()) / rho);
    let scaled = if arrival.is_exponential() {
        Distribution::exponential(rate)
    } else if arrival.is_deterministic() {
        Distribution::deterministic(round12(1.0 / rate))
    } else {
        arrival.scaled(rate.recip() / arrival.mean())
    }
    .map_err(|e| CliError::field("load", e))?;
    let scenario = match &base.scenario {
        Scenario::Station(st) => {
            Scenario::station(scaled, st.service.clone(), st.servers, st.capacity)?
        }
        Scenario::Tandem(t) => Scenario::from(Tandem::new(scaled, t.stages.clone())?),
        _ => {
            return Err(CliError::new(
                "load: this kind of scenario cannot be swept over load",
            ));
        }
    };
    Ok(Built {
        scenario,
        ..base.clone()
    })
}

/// The station with another number of servers and/or capacity.
pub fn with_size(
    base: &Built,
    servers: Option<usize>,
    capacity: Option<usize>,
) -> Result<Built, CliError> {
    let st = base.station()?;
    let scenario = Scenario::station(
        st.arrival.clone(),
        st.service.clone(),
        servers.unwrap_or(st.servers),
        capacity.or(st.capacity),
    )?;
    Ok(Built {
        scenario,
        ..base.clone()
    })
}
