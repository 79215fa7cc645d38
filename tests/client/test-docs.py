#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The documentation stays complete (tools/check-docs): every method, property, signal and error of the contract
is in org.freedesktop.IMAPI1(5); every imapictl command and option in imapictl(1) and the bash completion; every
key of imapid.conf in imapid.conf(5) (and every key the daemon reads in the sample file); imapid's options and
signals in imapid(8); the pages render cleanly. Then the check itself is tested: omissions planted in copies of
the pages, the completion, the contract and the configuration are each caught, and gen-dbus-man refuses a member
without documentation. TAP output; needs the build (imapictl, imapid, the generated page), no daemon."""
import importlib.machinery
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("IMAPID_BUILD_DIR") or os.path.join(SRC, "build")
IMAPICTL = os.path.join(BUILD, "client", "imapictl")
MAN = os.path.join(SRC, "data", "man", "imapictl.1")
COMPLETION = os.path.join(SRC, "data", "completions", "imapictl")

sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from imapid_test import main  # noqa: E402


def load_tool(name):
    loader = importlib.machinery.SourceFileLoader(name.replace("-", "_"), os.path.join(SRC, "tools", name))
    spec = importlib.util.spec_from_loader(loader.name, loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


check_docs = load_tool("check-docs")
PATHS = check_docs.paths(SRC, BUILD)


def ctl_help(*args):
    r = subprocess.run([IMAPICTL] + list(args) + ["--help"], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"))
    assert r.returncode == 0, (args, r.stderr)
    return r.stdout


def long_options(*command):
    """The long options of a command, from its --help (help options left out)."""
    text = ctl_help(*command)
    options = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", text, re.M))
    return options - {"--help", "--help-all"}


def read(path):
    with open(path) as f:
        return f.read()


COMMANDS = [["recorders"], ["info"], ["burn"], ["image"], ["audio"], ["erase"], ["eject"], ["close-tray"],
            ["monitor"], ["virtual", "create"], ["virtual", "remove"], ["virtual", "load"],
            ["virtual", "open-image"]]


class Docs(unittest.TestCase):
    def test_commands_listed_are_the_known_ones(self):
        self.assertEqual(check_docs.ctl_commands(IMAPICTL), COMMANDS[:8] + COMMANDS[9:] + COMMANDS[8:9])

    def test_man_pages_render_cleanly(self):
        pages = [PATHS["api_man"], PATHS["ctl_man"], PATHS["conf_man"], PATHS["daemon_man"]]
        self.assertEqual(check_docs.check_render(pages), [])

    def test_contract_in_dbus_man_page(self):
        self.assertEqual(check_docs.check_api(PATHS["xml"], PATHS["errors_h"], PATHS["api_man"]), [])
        # (and the check has something to check)
        self.assertGreater(len(check_docs.contract(PATHS["xml"])), 80)
        self.assertGreater(len(check_docs.error_names(PATHS["errors_h"])), 150)

    def test_commands_in_man_page_and_completion(self):
        self.assertEqual(check_docs.check_ctl(IMAPICTL, PATHS["ctl_man"], PATHS["completion"]), [])

    def test_every_option_in_man_page_and_completion(self):
        man, completion = check_docs.man_text(MAN), read(COMPLETION)
        for command in COMMANDS:
            options = long_options(*command)
            self.assertIn("--json", options, command)
            for option in options:
                self.assertIn(option, man, "imapictl(1) lacks %s of %s" % (option, " ".join(command)))
                self.assertRegex(completion, r"(?<![\w-])%s(?![\w-])" % re.escape(option),
                                 "the completion lacks %s of %s" % (option, " ".join(command)))

    def test_configuration_keys(self):
        self.assertEqual(check_docs.check_conf(PATHS["conf"], PATHS["conf_man"], PATHS["config_c"]), [])
        self.assertGreater(len(check_docs.conf_keys(PATHS["conf"])), 18)
        self.assertGreater(len(check_docs.daemon_keys(PATHS["config_c"])), 18)

    def test_daemon_options_and_signals(self):
        self.assertEqual(check_docs.check_daemon(PATHS["imapid"], PATHS["daemon_man"]), [])

    def test_whole_check_passes(self):
        r = subprocess.run([os.path.join(SRC, "tools", "check-docs"), SRC, BUILD], capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stdout), (0, ""))

    def complete(self, *words):
        """What the completion offers for the words typed so far (the last one being completed)."""
        script = ('source "%s"; COMP_WORDS=(imapictl %s); COMP_CWORD=%d; _imapictl; '
                  'printf "%%s\\n" "${COMPREPLY[@]}"' % (COMPLETION, " ".join("'%s'" % w for w in words),
                                                       len(words)))
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True,
                           env=dict(os.environ, PATH=os.path.dirname(IMAPICTL) + ":" + os.environ["PATH"],
                                    DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent"))
        self.assertEqual(r.returncode, 0, r.stderr)
        return [line for line in r.stdout.splitlines() if line]

    def test_completion_completes(self):
        self.assertEqual(self.complete("bu"), ["burn"])
        self.assertEqual(self.complete("close"), ["close-tray"])
        self.assertIn("--simulate", self.complete("burn", "--s"))
        self.assertIn("--skip-special", self.complete("burn", "--s"))
        self.assertEqual(self.complete("audio", "--ga"), ["--gap"])
        self.assertIn("open-image", self.complete("virtual", ""))
        self.assertEqual(self.complete("virtual", "create", "--medium", "bd"), ["bd-r", "bd-re"])
        self.assertEqual(self.complete("--json", "virtual", "load", "virtual0", "dvd+"),
                         ["dvd+r", "dvd+rw", "dvd+r-dl"])
        # No daemon here: recorder ids complete to nothing, quietly.
        self.assertEqual(self.complete("info", ""), [])


class PlantedOmissions(unittest.TestCase):
    """The check catches what it is for: each case removes or adds one thing in copies and expects exactly that
    to be reported."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="check-docs.")

    def tearDown(self):
        shutil.rmtree(self.dir)

    def planted(self, path, old, new="", count=1):
        """A copy of path with 'old' replaced (the text must be there 'count' times)."""
        text = read(path)
        self.assertEqual(text.count(old), count, "%r not found %d times in %s" % (old, count, path))
        copy = os.path.join(self.dir, os.path.basename(path))
        with open(copy, "w") as f:
            f.write(text.replace(old, new))
        return copy

    def assertReports(self, problems, *needles):
        self.assertEqual(len(problems), len(needles), problems)
        for problem, needle in zip(problems, needles):
            self.assertIn(needle, problem)

    def test_method_missing_from_the_api_page(self):
        page = self.planted(PATHS["api_man"], "\\fBCancel\\fR()", "\\fBAbort\\fR()")
        self.assertReports(check_docs.check_api(PATHS["xml"], PATHS["errors_h"], page),
                           "method org.freedesktop.IMAPI1.DiscMaster.Cancel is not documented")

    def test_property_and_signal_missing_from_the_api_page(self):
        page = self.planted(PATHS["api_man"], ".TP\n\\fBFreeBlocks\\fR \\fIu\\fR (read\\-only)\n", "")
        text = read(page).replace("\\fBEraseComplete\\fR(", "\\fBEraseEnded\\fR(")
        with open(page, "w") as f:
            f.write(text)
        self.assertReports(check_docs.check_api(PATHS["xml"], PATHS["errors_h"], page),
                           "property org.freedesktop.IMAPI1.Recorder.FreeBlocks is not documented",
                           "signal org.freedesktop.IMAPI1.Recorder.EraseComplete is not documented")

    def test_new_member_and_argument_in_the_contract(self):
        """The XML grows (a method, an argument) and the page is not rebuilt."""
        xml = [p for p in PATHS["xml"] if os.path.basename(p) != "org.freedesktop.IMAPI1.DiscMaster.xml"]
        dm = self.planted(os.path.join(SRC, "dbus", "org.freedesktop.IMAPI1.DiscMaster.xml"),
                          '<method name="Cancel"/>',
                          '<method name="Cancel"><arg name="reason" type="s" direction="in"/></method>'
                          '<method name="Verify"/>')
        self.assertReports(check_docs.check_api(xml + [dm], PATHS["errors_h"], PATHS["api_man"]),
                           "argument reason of org.freedesktop.IMAPI1.DiscMaster.Cancel is missing",
                           "method org.freedesktop.IMAPI1.DiscMaster.Verify is not documented")

    def test_new_error_in_the_table(self):
        errors = self.planted(PATHS["errors_h"], '/* imapid\'s own errors',
                              'IMAPI_ERROR(SHINY, "ShinyNewError", NULL, 0x00000000U, "New")\n'
                              '/* imapid\'s own errors')
        self.assertReports(check_docs.check_api(PATHS["xml"], errors, PATHS["api_man"]),
                           "error ShinyNewError is not listed")

    def test_command_missing_from_man_page_and_completion(self):
        man = self.planted(PATHS["ctl_man"], ".B monitor\nPrint", ".B watch\nPrint")
        self.assertReports(check_docs.check_ctl(IMAPICTL, man, PATHS["completion"]),
                           "command 'monitor' is not documented")
        completion = self.planted(PATHS["completion"], "close-tray virtual monitor help",
                                  "close-tray virtual help")
        self.assertReports(check_docs.check_ctl(IMAPICTL, PATHS["ctl_man"], completion),
                           "command 'monitor' is not completed")
        completion = self.planted(PATHS["completion"], "create remove load open-image",
                                  "create remove load")
        self.assertReports(check_docs.check_ctl(IMAPICTL, PATHS["ctl_man"], completion),
                           "'virtual open-image' is not completed")

    def test_configuration_key_missing(self):
        man = self.planted(PATHS["conf_man"], ".BI StashReserveMiB= N\n", ".BI StashReserve= N\n")
        self.assertReports(check_docs.check_conf(PATHS["conf"], man, PATHS["config_c"]),
                           "key StashReserveMiB of [Daemon] is not documented")
        conf = self.planted(PATHS["conf"], "#VirtualRecorders=32\n", "#VirtualRecorders=32\n#BurnsPerDay=3\n")
        self.assertReports(check_docs.check_conf(conf, PATHS["conf_man"], PATHS["config_c"]),
                           "key BurnsPerDay of [Limits] is not documented")
        # The daemon reads a key the sample file does not show.
        config_c = self.planted(PATHS["config_c"], '"EnableUdev", &c->enable_udev, reterr_message)) < 0)',
                                '"EnableUdev", &c->enable_udev, reterr_message)) < 0 ||\n'
                                '            (r = read_bool(f, "Daemon", "Turbo", &c->turbo, reterr_message)) < 0)')
        self.assertReports(check_docs.check_conf(PATHS["conf"], PATHS["conf_man"], config_c),
                           "key Turbo of [Daemon], read by the daemon, is not in the sample file")

    def test_daemon_option_missing(self):
        man = self.planted(PATHS["daemon_man"], ".B \\-\\-debug\nLog", ".B \\-\\-verbose\nLog")
        self.assertReports(check_docs.check_daemon(PATHS["imapid"], man), "option --debug is not documented")

    def test_page_that_does_not_render(self):
        man = self.planted(PATHS["daemon_man"], ".SH SIGNALS\n", ".SH SIGNALS\n.BOGUS\n")
        self.assertReports(check_docs.check_render([man]), "macro 'BOGUS'")

    def test_generator_refuses_undocumented_members(self):
        dm = self.planted(os.path.join(SRC, "dbus", "org.freedesktop.IMAPI1.DiscMaster.xml"),
                          '<method name="Cancel"/>', '<method name="Cancel"/>\n    <method name="Verify"/>')
        r = subprocess.run([os.path.join(SRC, "tools", "gen-dbus-man"),
                            "--template", os.path.join(SRC, "data", "man", "org.freedesktop.IMAPI1.5.in"),
                            "--output", os.path.join(self.dir, "out.5"), "--errors", PATHS["errors_h"],
                            "--policy", os.path.join(SRC, "polkit", "org.freedesktop.imapi1.policy"),
                            "--example", os.path.join(SRC, "data", "examples", "burn-folder.py"), dm],
                           capture_output=True, text=True)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("Verify has no documentation comment", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "out.5")))


if __name__ == "__main__":
    main()
