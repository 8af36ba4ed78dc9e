//! Property tests of the model (filled by the proptest suite).
