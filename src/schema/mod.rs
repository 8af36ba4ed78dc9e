//! placeholder until the oracle lands
