//! Kendall's queueing laboratory: discrete-event simulation, statistics and theory.
