//! Fuzz target `model`: bytes -> the model parser and validator (and the error message a
//! refused model gets). It must never panic, hang or blow up, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

mod input;

fuzz_target!(|data: &[u8]| {
    let _ = input::parse(data);
});
