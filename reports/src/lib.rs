//! Charts, tables and report files for Kendall simulations.
