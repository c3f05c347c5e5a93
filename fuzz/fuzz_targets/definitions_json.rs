//! Every serde type of revops from JSON: no panic, and a stable round trip (see `defs`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use revops_fuzz::defs;

fuzz_target!(|data: &[u8]| {
    if let Some((sel, text)) = defs::split(data) {
        if revops_fuzz::known::skip_json(sel, text) {
            return;
        }
        defs::JSON[sel](text);
    }
});
