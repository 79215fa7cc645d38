#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Audio CDs on the bus, judged by tools we did not write: staged tracks burned (SAO with CD-TEXT, MCN,
ISRC), the raw image split by bchunk into WAVs whose PCM equals the input, cuebreakpoints boundaries,
CD-TEXT read back; simulate; refusals before any write."""
import os
import subprocess
import wave

from imapid_test import (VIRTUAL0, Burn, GLib, ImapidTestCase, bytes_variant, main, open_image)

BLOCK = 2352


def pcm(blocks, seed):
    pattern = bytes(((i * 31 + seed * 17) ^ (i >> 3)) & 0xFF for i in range(BLOCK * 3))
    return (pattern * (blocks // 3 + 1))[:blocks * BLOCK]


class AudioBurnTest(ImapidTestCase):
    def stage(self, lengths, gap=None, metadata=True):
        dm = self.c.open("audio")
        self.c.dm(dm, "SetActiveFormat", "s", ["redbook"])
        self.c.dm(dm, "SetActiveRecorder", "o", [VIRTUAL0])
        if gap is not None:
            self.c.recorder(VIRTUAL0, "SetRecorderProperties", "a{sv}", [{"AudioGapSize": GLib.Variant("i", gap)}],
                            "as")
        tracks = []
        for n, blocks in enumerate(lengths, 1):
            data = pcm(blocks, n)
            tracks.append(data)
            self.c.dm(dm, "CreateAudioTrack", "u", [blocks], iface="RedbookDiscMaster")
            self.c.dm(dm, "AddAudioTrackBlocks", iface="RedbookDiscMaster",
                      args=GLib.Variant.new_tuple(bytes_variant(data)))
            self.c.dm(dm, "CloseAudioTrack", iface="RedbookDiscMaster")
            if metadata:
                self.c.dm(dm, "SetTrackProperties", "ua{sv}",
                          [n, {"title": GLib.Variant("s", "Track %d" % n),
                               "performer": GLib.Variant("s", "Band %d" % n)}], iface="RedbookDiscMaster")
        if metadata:
            self.c.dm(dm, "SetDiscProperties", "a{sv}", [{"title": GLib.Variant("s", "The Album"),
                                                          "performer": GLib.Variant("s", "The Band"),
                                                          "mcn": GLib.Variant("s", "4006381333931")}],
                      iface="RedbookDiscMaster")
            self.c.dm(dm, "SetTrackProperties", "ua{sv}", [1, {"isrc": GLib.Variant("s", "USK7Y9812345")}],
                      iface="RedbookDiscMaster")
        return dm, tracks

    def rip(self):
        raw = os.path.join(self.bus.dir, "image.bin")
        cue_text = open_image(self.c, VIRTUAL0, raw)
        cue = os.path.join(self.bus.dir, "image.cue")
        with open(cue, "w") as f:
            f.write(cue_text)
        return raw, cue, cue_text

    def split(self, raw, cue):
        out = os.path.join(self.bus.dir, "split")
        os.makedirs(out, exist_ok=True)
        subprocess.run(["bchunk", "-w", raw, cue, os.path.join(out, "t")], check=True, capture_output=True)
        wavs = sorted(f for f in os.listdir(out) if f.endswith(".wav"))
        result = []
        for w in wavs:
            with wave.open(os.path.join(out, w)) as r:
                self.assertEqual((r.getnchannels(), r.getsampwidth(), r.getframerate()), (2, 2, 44100))
                result.append(r.readframes(r.getnframes()))
        return result

    def test_sao_burn_rips_back_bit_exact(self):
        lengths = [300, 451, 377, 612]
        dm, tracks = self.stage(lengths)
        b = Burn(self.c, dm).start()
        self.assertEqual(b.wait(), ("", ""))
        self.assertEqual([s[4] for s in b.signals("TrackProgress")], [(n, 4) for n in range(1, 5)])
        raw, cue, text = self.rip()
        ripped = self.split(raw, cue)
        self.assertEqual(len(ripped), 4)
        for n, (want, got) in enumerate(zip(tracks, ripped), 1):
            # bchunk's track n ends where track n+1's INDEX 01 starts: the gap's silence follows the PCM.
            self.assertEqual(got[:len(want)], want, "track %d" % n)
            self.assertEqual(got[len(want):].strip(b"\0"), b"", "track %d's tail is the gap's silence" % n)
        # cuebreakpoints: each track starts at the previous one + its length + the 150-block gap.
        p = subprocess.run(["cuebreakpoints", cue], capture_output=True, text=True, check=True)
        expect, at = [], 0
        for blocks in lengths[:-1]:
            at += blocks + 150
            expect.append("%d:%02d.%02d" % (at // 75 // 60, at // 75 % 60, at % 75))
        self.assertEqual(p.stdout.split(), expect)
        # CD-TEXT, MCN and ISRC as the drive wrote them.
        self.assertIn('TITLE "The Album"', text)
        self.assertIn('PERFORMER "The Band"', text)
        self.assertIn('TITLE "Track 3"', text)
        self.assertIn("CATALOG 4006381333931", text)
        self.assertIn("ISRC USK7Y9812345", text)
        self.assertEqual(self.c.get(VIRTUAL0, "Recorder", "LastTrack"), 4)

    def test_zero_gap(self):
        lengths = [300, 333, 300]
        dm, tracks = self.stage(lengths, gap=0, metadata=False)
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))
        raw, cue, _ = self.rip()
        self.assertEqual(self.split(raw, cue), tracks)  # gapless: exactly the input
        with open(raw, "rb") as f:  # the image starts at LBA 0, after the 150-block pregap of track 1
            self.assertEqual(f.read(), b"".join(tracks))

    def test_simulate_and_refusals(self):
        dm, _ = self.stage([300], metadata=False)
        self.assertEqual(Burn(self.c, dm).start(simulate=True).wait(), ("", ""))
        self.assertTrue(self.c.get(VIRTUAL0, "Recorder", "MediaState") & 0x2)
        self.assertEqual(Burn(self.c, dm).start().wait(), ("", ""))
        # Audio discs are finalised: no second burn on this one.
        self.assertDBusError("MediumClosed", self.c.dm, dm, "RecordDisc", "bba{sv}", [False, False, {}])
        self.c.recorder(VIRTUAL0, "LoadMedium", "sa{sv}", ["dvd+r", {}], iface="VirtualRecorder")
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.MediumInvalidType", msg)

    def test_audio_needs_a_blank_cd(self):
        from imapid_test import add_data, make_tree, open_tree
        data = self.c.open("data first")
        self.c.dm(data, "SetActiveFormat", "s", ["joliet"])
        self.c.dm(data, "SetActiveRecorder", "o", [VIRTUAL0])
        add_data(self.c, data, open_tree(make_tree(os.path.join(self.bus.dir, "d"))))
        self.assertEqual(Burn(self.c, data).start().wait(), ("", ""))  # appendable, not blank
        self.c.dm(data, "Close")
        dm, _ = self.stage([300], metadata=False)
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.MediumNotBlank", msg)

    def test_progress_window_holds_for_a_fast_burn(self):
        # Unthrottled and 12 tracks: PreparingBurn, 12 TrackProgress, BlockProgress and ClosingDisc are due
        # within a fraction of a second; they still go out at most ten a second, all of them, in order.
        dm, _ = self.stage([300] * 12, gap=0, metadata=False)
        b = Burn(self.c, dm).start()
        self.assertEqual(b.wait(), ("", ""))
        b.sig.pump(0.2)
        progress = [s for s in b.sig.signals if s[3] in ("PreparingBurn", "TrackProgress", "BlockProgress",
                                                         "ClosingDisc")]
        self.assertEqual([s[4] for s in b.signals("TrackProgress")], [(n, 12) for n in range(1, 13)])
        done, total = b.signals("BlockProgress")[-1][4]
        self.assertEqual(done, total)  # the last value went out
        self.assertEqual(total, 150 + 3600)  # the 150-block pregap of track 1 and the tracks
        for s in progress:
            self.assertLessEqual(len([o for o in progress if s[0] <= o[0] < s[0] + 1.0]), 10)
        self.assertEqual(b.sig.signals[-1][3], "BurnComplete")
        self.assertEqual([s[3] for s in progress][0], "PreparingBurn")
        self.assertEqual([s[3] for s in progress][-1], "ClosingDisc")

    def test_open_track_refused(self):
        dm, _ = self.stage([300], metadata=False)
        self.c.dm(dm, "CreateAudioTrack", "u", [0], iface="RedbookDiscMaster")
        err, msg = Burn(self.c, dm).start().wait()
        self.assertEqual(err, "org.freedesktop.IMAPI1.Error.TrackOpen", msg)


if __name__ == "__main__":
    main()
