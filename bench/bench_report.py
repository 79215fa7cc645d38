# SPDX-License-Identifier: LGPL-2.1-or-later
"""bench/RESULTS.md from the figures bench/run collected: the machine, the targets of DESIGN.md §10 with
met/missed, every figure and ratio, the callgrind profiles and the findings (bench/findings.md)."""
import os

MIB_KIB = 1024
TARGET_XORRISO, AIM_XORRISO, TARGET_TAR = 1.0, 0.8, 1.25
TARGET_IDLE_MIB, TARGET_PEAK_MIB = 8, 32
TARGET_FILES_PER_S = 20000
TARGET_FRACTION = 0.99
TARGET_P99_MS = 2.0
TARGET_PROGRESS_PER_S = 10


def mib(kib):
    return "%.1f" % (kib / MIB_KIB) if kib else "–"


def mode(tool):
    """"imapid (fds held)" -> "fds held"."""
    return tool[tool.index("(") + 1:-1] if "(" in tool else tool


def rate(v):
    return "%.1f" % v if v == v else "–"


def verdict(ok):
    return "met" if ok else "**missed**"


def table(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "|" + "|".join("---:" if i else "---" for i in range(len(header))) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out) + "\n"


def machine_section(m, results):
    rows = [("date", m["date"]), ("CPU", "%s, %d cores" % (m["cpu"], m["cores"])),
            ("memory", "%d MiB" % m["memory_mib"]), ("kernel", m["kernel"]), ("disk (work directory)", m["disk"]),
            ("open files (hard limit)", m["nofile"]),
            ("load average at start / end", "%.2f / %.2f (1 min; the machine is shared)" %
             (m["load_start"][0], m["load_end"][0])),
            ("imapid build", "%s, %s; %s" % (m["buildtype"], m["commit"], m.get("daemon", ""))),
            ("tools", "; ".join(m[k] for k in ("xorriso", "genisoimage", "tar", "stress-ng")))]
    return "## Machine\n\n" + table(["", ""], rows)


def targets(results):
    s = results["sections"]
    out = []
    sb = s.get("stage-burn", [])
    for kind in ("small", "large"):
        for r in sb:
            if r["tree"] == kind and r["tool"].startswith("imapid"):
                out.append(("stage + burn `%s`, %s: ≤ 1.0× xorriso (aim 0.8×)" % (kind, mode(r["tool"])),
                            "%.2f×" % r["vs_xorriso"], verdict(r["vs_xorriso"] <= TARGET_XORRISO) +
                            (" (aim met)" if r["vs_xorriso"] <= AIM_XORRISO else "")))
                out.append(("stage + burn `%s`, %s: ≤ 1.25× tar -cf" % (kind, mode(r["tool"])),
                            "%.2f×" % r["vs_tar"], verdict(r["vs_tar"] <= TARGET_TAR)))
    if "rss_idle_start_kib" in results:
        idle = max(results["rss_idle_start_kib"]["VmRSS"], results.get("rss_idle_end_kib", {}).get("VmRSS", 0))
        out.append(("daemon RSS idle ≤ 8 MiB (after start / after the runs)", "%s / %s MiB" % (
            mib(results["rss_idle_start_kib"]["VmRSS"]), mib(results.get("rss_idle_end_kib", {}).get("VmRSS"))),
            verdict(idle <= TARGET_IDLE_MIB * MIB_KIB)))
    for r in sb:
        if r["tree"] == "large" and r["tool"].startswith("imapid"):
            out.append(("daemon peak RSS burning `large` ≤ 32 MiB, %s" % mode(r["tool"]),
                        "%s MiB" % mib(r["peak_rss_kib"]), verdict(r["peak_rss_kib"] <= TARGET_PEAK_MIB * MIB_KIB)))
    for r in s.get("add-data", []):
        out.append(("AddData ≥ 20,000 files/s, %s" % r["config"], "%.0f files/s" % r["files_per_s"],
                    verdict(r["files_per_s"] >= TARGET_FILES_PER_S)))
    for r in s.get("throttled", []):
        frac = min(r["daemon_fraction"], r["engine_fraction"])
        out.append(("%s at %dx, both cores loaded: ≥ 99 %% of nominal, 0 underruns" % (r["profile"], r["speed"]),
                    "%.1f %% (daemon) / %.1f %% (engine), %d underruns, %d BUFE pauses" % (
                        100 * r["daemon_fraction"], 100 * r["engine_fraction"], r["underruns"], r["bufe_pauses"]),
                    verdict(frac >= TARGET_FRACTION and r["underruns"] == 0 and r["bufe_pauses"] == 0)))
    for r in s.get("latency", []):
        if "loop/s" in r["label"] or "loops/s" in r["label"]:
            out.append(("method latency p99 ≤ 2 ms, %s (%.0f calls/s)" % (r["label"], r["calls_per_s"]),
                        "p50 %.2f ms, p99 %.2f ms" % (r["all"]["p50_ms"], r["all"]["p99_ms"]),
                        verdict(r["all"]["p99_ms"] <= TARGET_P99_MS)))
    burns = [("%s %dx" % (r["profile"], r["speed"]), r) for r in s.get("throttled", [])] + \
        [("unthrottled `%s`, %s" % (r["tree"], mode(r["tool"])), r) for r in sb if "progress_max_per_s" in r]
    if burns:
        worst_block = max(r["block_progress_max_per_s"] for _, r in burns)
        worst_all = max(r["progress_max_per_s"] for _, r in burns)
        out.append(("≤ 10 progress signals/s during a burn: BlockProgress, most in any 1 s (all runs)",
                    "%d" % worst_block, verdict(worst_block <= TARGET_PROGRESS_PER_S)))
        out.append(("… all progress signals (with TrackProgress, PreparingBurn, ClosingDisc), most in any 1 s",
                    "%d" % worst_all, verdict(worst_all <= TARGET_PROGRESS_PER_S)))
    for r in s.get("add-data", []):
        out.append(("≤ 10 progress signals/s while staging, %s" % r["config"],
                    "%.0f AddProgress/s" % r["add_progress_per_s"],
                    verdict(r["add_progress_per_s"] <= TARGET_PROGRESS_PER_S)))
    return "## Targets (DESIGN.md §10)\n\n" + table(["target", "figure", ""], out)


def stage_burn_section(rows, runs):
    out = ["## 1. Stage + burn against xorriso, genisoimage and tar\n",
           "Median of %d runs, the tools alternating who goes first; every tool writes to the same file "
           "system from a tree already in the page cache, after a `sync`. imapid: the real daemon over the bus, "
           "timed by bench-client from the walk of the tree (first AddData) to BurnComplete, burning to an "
           "unthrottled virtual BD-R whose disc is a sparse file next to the others' output. Each mode's first "
           "burned disc was compared with the tree by `xorriso -compare_r`. Peak RSS: VmHWM of imapid (reset "
           "before each run), getrusage of the tools.\n" % runs]
    for kind in ("small", "large"):
        tr = [r for r in rows if r["tree"] == kind]
        if not tr:
            continue
        st = next(r["tree_stats"] for r in tr if "tree_stats" in r)
        out.append("\n### `%s`: %d files, %d directories, %.0f MB\n\n" % (kind, st["files"], st["dirs"],
                                                                        st["bytes"] / 1e6))
        out.append(table(["tool", "median s", "runs s", "MB/s", "vs xorriso", "vs genisoimage", "vs tar",
                          "peak RSS MiB", "verified"],
                         [(r["tool"], "%.2f" % r["median_s"], " ".join("%.2f" % t for t in r["runs"]),
                           "%.0f" % r["mb_per_s"], "%.2f×" % r["vs_xorriso"], "%.2f×" % r["vs_genisoimage"],
                           "%.2f×" % r["vs_tar"], mib(r["peak_rss_kib"]),
                           {True: "yes", False: "**no**", None: ""}[r["verified"]]) for r in tr]))
        im = [r for r in tr if "add_s" in r]
        if im:
            out.append("\nimapid's time split (medians): staging (AddData, with the copies under StageFiles) and "
                       "burning (RecordDisc to BurnComplete); CPU seconds of imapid and of dbus-daemon in the run.\n\n")
            out.append(table(["imapid mode", "staging s", "burning s", "imapid CPU s", "dbus-daemon CPU s"],
                             [(r["tool"], "%.2f" % r["add_s"], "%.2f" % r["burn_s"], "%.2f" % r["daemon_cpu_s"],
                               "%.2f" % r["dbus_cpu_s"]) for r in im]))
    return "".join(out)


def add_data_section(rows, results):
    out = ["## 2. AddData throughput over the bus\n\n",
           "The `small` tree's entries (400 directories, then files) in pipelined AddData calls (3 in flight; one "
           "at a time under StageFiles, which refuses a call while it copies), timed by bench-client from the "
           "first call to the last reply. imapid holds one fd per staged file unless StageFiles copies it, and "
           "its open-file hard limit here is %s, so the fd-holding runs stop at the files that fit. Batches: "
           "the system bus takes 16 fds per message by default (`max_message_unix_fds`); the bench bus allows "
           "253, the kernel's most per message (SCM_MAX_FD), so 256 is not possible. CPU µs per entry: imapid "
           "and dbus-daemon CPU time of the run (including the disc master's Close) over the entries; the "
           "client's share is not counted.\n\n" % results["machine"]["nofile"]]
    out.append(table(["configuration", "entries", "files", "s", "files/s", "entries/s", "imapid CPU µs/entry",
                      "dbus-daemon CPU µs/entry", "AddProgress/s", "PropertiesChanged/s"],
                     [(r["config"], r["entries"], r["files"], "%.3f" % r["add_s"], "%.0f" % r["files_per_s"],
                       "%.0f" % r["entries_per_s"], "%.1f" % r["daemon_us_per_entry"], "%.1f" % r["dbus_us_per_entry"],
                       "%.0f" % r["add_progress_per_s"], "%.0f" % r["properties_changed_per_s"]) for r in rows]))
    return "".join(out)


def memory_section(results):
    rows = []
    for k, label in (("rss_idle_start_kib", "idle, after start-up"), ("rss_idle_end_kib", "idle, after all runs")):
        if k in results:
            rows.append((label, mib(results[k]["VmRSS"]), mib(results[k].get("RssAnon")), mib(results[k]["VmHWM"])))
    for r in results["sections"].get("stage-burn", []):
        if r["tool"].startswith("imapid"):
            rows.append(("peak while staging + burning `%s`, %s" % (r["tree"], mode(r["tool"])), "", "",
                         mib(r["peak_rss_kib"])))
    return ("## 3. Daemon memory\n\nFrom /proc/PID/status: VmRSS (the target's measure; it counts the shared "
            "libraries' pages too), RssAnon (the daemon's own memory) and VmHWM (peak; reset with "
            "`echo 5 > /proc/PID/clear_refs` before each run, so it starts from the RSS at that moment).\n\n" +
            table(["when", "VmRSS MiB", "RssAnon MiB", "VmHWM MiB"], rows))


def throttled_section(rows):
    out = ["## 4. Throttled virtual recorders with both cores loaded\n\n",
           "`stress-ng --cpu 2` runs throughout. Each medium is burned twice: through the daemon (a virtual "
           "recorder created with that speed; the rate is the least-squares slope of BlockProgress blocks over "
           "time once the drive buffer has filled) and through the engine alone (bench-engine: the same "
           "BurnJob → mmc → emulated drive, the slope over every WRITE, and the drive's own statistics from "
           "emu_drive_get_stats(): underruns, BUFE pauses and the lowest buffer fill at a WRITE once it had "
           "filled). BUFE is on by default (as in the daemon), so an empty buffer would show as a BUFE pause "
           "rather than an underrun; both are counted.\n\n"]
    out.append(table(["medium", "speed", "MiB", "nominal MB/s", "daemon % of nominal", "engine % of nominal",
                      "underruns", "BUFE pauses", "buffer min fill", "BlockProgress/s (most in 1 s)",
                      "progress signals/s (most in 1 s)", "load avg"],
                     [(r["profile"], "%dx" % r["speed"], r["mib"], "%.2f" % r["nominal_mb_per_s"],
                       "%.2f %%" % (100 * r["daemon_fraction"]), "%.2f %%" % (100 * r["engine_fraction"]),
                       r["underruns"], r["bufe_pauses"],
                       "%.1f MiB of %.0f (%.0f %%)" % (r["buffer_min_fill"] / 2 ** 20, r["buffer_bytes"] / 2 ** 20,
                                                       100 * r["buffer_min_fill"] / r["buffer_bytes"])
                       if r["buffer_min_fill"] >= 0 else "–",
                       "%s (%d)" % (rate(r["block_progress_per_s"]), r["block_progress_max_per_s"]),
                       "%.1f (%d)" % (r["progress_per_s"], r["progress_max_per_s"]), "%.1f" % r["load"])
                      for r in rows]))
    return "".join(out)


def latency_section(rows):
    out = ["## 5. Method latency\n\n",
           "bench-client latency: each client is a process with its own bus connection looping Open → "
           "SetActiveFormat(\"joliet\") → Properties.Get(ActiveFormat) → Close, timing each call at the client "
           "(so through dbus-daemon both ways); \"all\" is over these four. Each loop then times two baselines: "
           "Ping (org.freedesktop.DBus.Peer.Ping of imapid, answered by sd-bus in imapid's loop: the bus, the "
           "scheduler and whatever imapid still does after replying to Close) and BusPing (the same to dbus-daemon: "
           "no imapid at all). \"N loops/s each\" paces every client (the clients' phases spread); \"back to "
           "back\" sends the next call as soon as the answer comes, which measures throughput: with 50 calls always "
           "waiting, the latency is 50 × the time per call (Little's law), whatever the daemon does. CPU: share of "
           "one core over the run for imapid and dbus-daemon, and CPU seconds per second of all the client "
           "processes together.\n\n"]
    hdr = ["clients", "calls/s", "imapid CPU", "imapid CPU µs/call", "dbus-daemon CPU", "clients CPU",
           "all p50 ms", "all p99 ms", "max ms"]
    methods = ["Open", "SetActiveFormat", "Get", "Close", "Ping", "BusPing"]
    hdr += ["%s p50/p99 ms" % m for m in methods] + ["load avg"]
    out.append(table(hdr, [(r["label"], "%.0f" % r["calls_per_s"], "%.0f %%" % (100 * r["daemon_cpu_share"]),
                            "%.0f" % r["daemon_us_per_call"], "%.0f %%" % (100 * r["dbus_cpu_share"]),
                            "%.2f" % (r.get("clients_cpu_s", 0) / r["seconds"]),
                            "%.3f" % r["all"]["p50_ms"], "%.3f" % r["all"]["p99_ms"], "%.2f" % r["all"]["max_ms"]) +
                           tuple("%.3f / %.3f" % (r[m]["p50_ms"], r[m]["p99_ms"]) if m in r else "–"
                                 for m in methods) +
                           ("%.1f" % r["load"],) for r in rows]))
    return "".join(out)


def progress_section(results):
    s = results["sections"]
    rows = []
    for r in s.get("throttled", []):
        rows.append(("burn, %s %dx (%d MiB)" % (r["profile"], r["speed"], r["mib"]),
                     "%s (%d)" % (rate(r["block_progress_per_s"]), r["block_progress_max_per_s"]),
                     "%.1f (%d)" % (r["progress_per_s"], r["progress_max_per_s"])))
    for r in s.get("stage-burn", []):
        if "progress_max_per_s" in r:
            rows.append(("unthrottled burn of `%s`, %s" % (r["tree"], mode(r["tool"])),
                         "%s (%d)" % (rate(r["block_progress_per_s"]), r["block_progress_max_per_s"]),
                         "– (%d)" % r["progress_max_per_s"]))
    for r in s.get("add-data", []):
        rows.append(("staging, %s" % r["config"], "", "%.0f AddProgress/s" % r["add_progress_per_s"]))
    return ("## 6. Progress signals\n\nCounted by the client on the disc master: BlockProgress over the writing "
            "phase (first to last) and all progress signals (AddProgress, BlockProgress, TrackProgress, "
            "PreparingBurn, ClosingDisc) from RecordDisc to BurnComplete; in brackets the most within any one "
            "second. Unthrottled burns last under a second or two, so their means say little.\n\n" +
            table(["run", "BlockProgress/s (most in 1 s)", "progress signals/s (most in 1 s)"], rows))


def profile_section(p):
    out = ["## 7. Profiles\n\n",
           "imapid under `valgrind --tool=callgrind` (`perf stat -e instructions`: %s on this virtual machine, so "
           "no hardware counters), a fresh daemon per workload, instructions (Ir) of the whole daemon from start "
           "to SIGTERM. Kernel time (page-cache copies, syscalls) is not in these counts: the perf tables after "
           "them sample the real daemon with the software clock (`perf record -e cpu-clock`), kernel included.\n"
           % ("works" if p["perf_instructions"] else "not supported")]
    for w in p["workloads"]:
        out.append("\n### %s — %s Ir in all, %s Ir per %s\n\n" % (
            w["label"], "{:,}".format(w["total_ir"]), "{:,}".format(w["total_ir"] // max(w["units"], 1)), w["unit"]))
        out.append("Self cost:\n\n" + table(["Ir", "%", "function"], [("{:,}".format(a), b, "`%s`" % c)
                                                                      for a, b, c in w["self"]]))
        out.append("\nInclusive:\n\n" + table(["Ir", "%", "function"], [("{:,}".format(a), b, "`%s`" % c)
                                                                        for a, b, c in w["inclusive"]]))
    for w in p.get("perf", []):
        out.append("\n### perf, %s (%.2f s): self samples ≥ 1 %%\n\n" % (w["label"], w["total_s"]))
        out.append(table(["%", "where", "symbol"], [(a, b.strip("[]").replace("k", "kernel").replace(".", "user"),
                                                     "`%s`" % c) for a, b, c in w["rows"]]))
    return "".join(out)


def write_report(results, path, smoke, findings_path):
    s = results["sections"]
    parts = ["# imapid benchmark results%s\n\n" % (" (smoke run: tiny trees, one run, figures meaningless)"
                                                    if smoke else ""),
             "Written by `bench/run` (see bench/README.md); re-run it rather than editing this file.\n\n",
             machine_section(results["machine"], results), "\n", targets(results), "\n"]
    if "stage-burn" in s:
        parts += [stage_burn_section(s["stage-burn"], len(s["stage-burn"][0]["runs"])), "\n"]
    if "add-data" in s:
        parts += [add_data_section(s["add-data"], results), "\n"]
    parts += [memory_section(results), "\n"]
    if "throttled" in s:
        parts += [throttled_section(s["throttled"]), "\n"]
    if "latency" in s:
        parts += [latency_section(s["latency"]), "\n"]
    parts += [progress_section(results), "\n"]
    if "profile" in s:
        parts += [profile_section(s["profile"]), "\n"]
    if not smoke and os.path.exists(findings_path):
        parts += [open(findings_path).read()]
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        f.write("".join(parts))
