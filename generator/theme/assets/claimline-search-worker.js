// claimline: Material's search worker, silenced. Material posts its setup and queries here and waits for
// results that never come, so it leaves its result list alone; claimline-search.js fills it from Pagefind.
