#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""imapictl's documentation and completion stay complete: every command and every option that imapictl --help
lists is in imapictl(1) and in data/completions/imapictl; the man page renders without warnings; the
completion completes. TAP output; needs the built imapictl, no daemon."""
import os
import re
import subprocess
import sys
import unittest

SRC = os.environ.get("IMAPID_SOURCE_DIR") or os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BUILD = os.environ.get("IMAPID_BUILD_DIR") or os.path.join(SRC, "build")
IMAPICTL = os.path.join(BUILD, "client", "imapictl")
MAN = os.path.join(SRC, "data", "man", "imapictl.1")
COMPLETION = os.path.join(SRC, "data", "completions", "imapictl")

sys.path.insert(0, os.path.join(SRC, "tests", "integration"))
from imapid_test import main  # noqa: E402


def ctl_help(*args):
    r = subprocess.run([IMAPICTL] + list(args) + ["--help"], capture_output=True, text=True,
                       env=dict(os.environ, LC_ALL="C"))
    assert r.returncode == 0, (args, r.stderr)
    return r.stdout


def verbs():
    """The commands imapictl --help lists, with the sub-commands of virtual."""
    text = ctl_help()
    block = text.split("Commands:\n")[1].split("\n\n")[0]
    names = [line.split()[0] for line in block.splitlines()]
    return names


def long_options(*command):
    """The long options of a command, from its --help (help options left out)."""
    text = ctl_help(*command)
    options = set(re.findall(r"^\s+(?:-\w, )?(--[\w-]+)", text, re.M))
    return options - {"--help", "--help-all"}


def man_source():
    with open(MAN) as f:
        return f.read().replace("\\-", "-")


def completion_source():
    with open(COMPLETION) as f:
        return f.read()


COMMANDS = [["recorders"], ["info"], ["burn"], ["image"], ["audio"], ["erase"], ["eject"], ["close-tray"],
            ["monitor"], ["virtual", "create"], ["virtual", "remove"], ["virtual", "load"],
            ["virtual", "open-image"]]


class Docs(unittest.TestCase):
    def test_commands_listed_are_the_known_ones(self):
        self.assertEqual(verbs(), ["recorders", "info", "burn", "image", "audio", "erase", "eject", "close-tray",
                                   "virtual", "monitor"])

    def test_man_page_renders_cleanly(self):
        r = subprocess.run(["groff", "-man", "-ww", "-z", MAN], capture_output=True, text=True)
        self.assertEqual((r.returncode, r.stderr), (0, ""))

    def test_every_command_in_man_page(self):
        man = man_source()
        for command in COMMANDS:
            name = " ".join(command)
            self.assertRegex(man, r'(?m)^\.BI? "?%s\b' % re.escape(name), "imapictl(1) lacks '%s'" % name)

    def test_every_option_in_man_page_and_completion(self):
        man, completion = man_source(), completion_source()
        for command in COMMANDS:
            options = long_options(*command)
            self.assertIn("--json", options, command)
            for option in options:
                self.assertIn(option, man, "imapictl(1) lacks %s of %s" % (option, " ".join(command)))
                self.assertRegex(completion, r"(?<![\w-])%s(?![\w-])" % re.escape(option),
                                 "the completion lacks %s of %s" % (option, " ".join(command)))

    def test_every_command_in_completion(self):
        completion = completion_source()
        listed = re.search(r'local verbs="([^"]*)"', completion).group(1).split()
        self.assertEqual(set(listed) - {"help"}, set(verbs()))
        subs = re.search(r'compgen -W "create remove load open-image', completion)
        self.assertIsNotNone(subs)

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


if __name__ == "__main__":
    main()
