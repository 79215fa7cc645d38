/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one table of imapid's D-Bus errors: name, IMAPI symbol, HRESULT and default message.
 *
 * Included by the daemon (daemon/shared/imapi-error.c) and by libimapi (client/imapi-error.c) with
 * IMAPI_ERROR(id, dbus_name, symbol, hresult, message) defined. The order is the ABI of the
 * client's ImapiError enum: append only. */

IMAPI_ERROR(NOT_OPENED, "NotOpened", "IMAPI_E_NOTOPENED", 0x8004020BU, "The disc master is not open")
IMAPI_ERROR(NOT_INITIALIZED, "NotInitialized", "IMAPI_E_NOTINITIALIZED", 0x8004020CU,
            "The recorder is not initialized")
IMAPI_ERROR(USER_ABORT, "UserAbort", "IMAPI_E_USERABORT", 0x8004020DU,
            "The operation was cancelled by the user")
IMAPI_ERROR(GENERIC, "Generic", "IMAPI_E_GENERIC", 0x8004020EU, "An unexpected error occurred")
IMAPI_ERROR(MEDIUM_NOT_PRESENT, "MediumNotPresent", "IMAPI_E_MEDIUM_NOTPRESENT", 0x8004020FU,
            "There is no disc in the recorder")
IMAPI_ERROR(MEDIUM_INVALID_TYPE, "MediumInvalidType", "IMAPI_E_MEDIUM_INVALIDTYPE", 0x80040210U,
            "The disc in the recorder cannot be used for this")
IMAPI_ERROR(DEVICE_NO_PROPERTIES, "DeviceNoProperties", "IMAPI_E_DEVICE_NOPROPERTIES", 0x80040211U,
            "Recorder supports no properties")
IMAPI_ERROR(DEVICE_NOT_ACCESSIBLE, "DeviceNotAccessible", "IMAPI_E_DEVICE_NOTACCESSIBLE", 0x80040212U,
            "Device unusable or already in use")
IMAPI_ERROR(DEVICE_NOT_PRESENT, "DeviceNotPresent", "IMAPI_E_DEVICE_NOTPRESENT", 0x80040213U,
            "Device absent or removed")
IMAPI_ERROR(DEVICE_INVALID_TYPE, "DeviceInvalidType", "IMAPI_E_DEVICE_INVALIDTYPE", 0x80040214U,
            "Recorder does not support the operation")
IMAPI_ERROR(INITIALIZE_WRITE, "InitializeWrite", "IMAPI_E_INITIALIZE_WRITE", 0x80040215U,
            "Drive could not be initialized for writing")
IMAPI_ERROR(INITIALIZE_END_WRITE, "InitializeEndWrite", "IMAPI_E_INITIALIZE_ENDWRITE", 0x80040216U,
            "Drive could not be initialized for closing")
IMAPI_ERROR(FILE_SYSTEM, "FileSystem", "IMAPI_E_FILESYSTEM", 0x80040217U,
            "Error enabling/disabling FS access or auto-insert detection")
IMAPI_ERROR(FILE_ACCESS, "FileAccess", "IMAPI_E_FILEACCESS", 0x80040218U, "Error writing the stash")
IMAPI_ERROR(DISC_INFO, "DiscInfo", "IMAPI_E_DISCINFO", 0x80040219U,
            "Error reading disc info from the device")
IMAPI_ERROR(TRACK_NOT_OPEN, "TrackNotOpen", "IMAPI_E_TRACKNOTOPEN", 0x8004021AU, "No audio track open")
IMAPI_ERROR(TRACK_OPEN, "TrackOpen", "IMAPI_E_TRACKOPEN", 0x8004021BU, "An audio track is already open")
IMAPI_ERROR(DISC_FULL, "DiscFull", "IMAPI_E_DISCFULL", 0x8004021CU, "Disc cannot hold more data")
IMAPI_ERROR(BAD_JOLIET_NAME, "BadJolietName", "IMAPI_E_BADJOLIETNAME", 0x8004021DU,
            "A name cannot be represented on the disc")
IMAPI_ERROR(INVALID_IMAGE, "InvalidImage", "IMAPI_E_INVALIDIMAGE", 0x8004021EU,
            "Staged image unusable (corrupted/cleared/empty)")
IMAPI_ERROR(NO_ACTIVE_FORMAT, "NoActiveFormat", "IMAPI_E_NOACTIVEFORMAT", 0x8004021FU,
            "No active format selected")
IMAPI_ERROR(NO_ACTIVE_RECORDER, "NoActiveRecorder", "IMAPI_E_NOACTIVERECORDER", 0x80040220U,
            "No active recorder selected")
IMAPI_ERROR(WRONG_FORMAT, "WrongFormat", "IMAPI_E_WRONGFORMAT", 0x80040221U,
            "The call does not match the active format, or content of another format is staged")
IMAPI_ERROR(ALREADY_OPEN, "AlreadyOpen", "IMAPI_E_ALREADYOPEN", 0x80040222U, "`Open` already called")
IMAPI_ERROR(WRONG_DISC, "WrongDisc", "IMAPI_E_WRONGDISC", 0x80040223U,
            "The multi-session disc was removed/changed")
IMAPI_ERROR(FILE_EXISTS, "FileExists", "IMAPI_E_FILEEXISTS", 0x80040224U,
            "File already in image and overwrite not set")
IMAPI_ERROR(STASH_IN_USE, "StashInUse", "IMAPI_E_STASHINUSE", 0x80040225U, "The stash is in use")
IMAPI_ERROR(DEVICE_STILL_IN_USE, "DeviceStillInUse", "IMAPI_E_DEVICE_STILL_IN_USE", 0x80040226U,
            "Another disc master holds the recorder")
IMAPI_ERROR(LOSS_OF_STREAMING, "LossOfStreaming", "IMAPI_E_LOSS_OF_STREAMING", 0x80040227U,
            "Buffer under-run")
IMAPI_ERROR(COMPRESSED_STASH, "CompressedStash", "IMAPI_E_COMPRESSEDSTASH", 0x80040228U,
            "Stash on a compressed volume")
IMAPI_ERROR(ENCRYPTED_STASH, "EncryptedStash", "IMAPI_E_ENCRYPTEDSTASH", 0x80040229U,
            "Stash on an encrypted volume")
IMAPI_ERROR(NOT_ENOUGH_DISK_FOR_STASH, "NotEnoughDiskForStash", "IMAPI_E_NOTENOUGHDISKFORSTASH", 0x8004022AU,
            "Not enough free space for the stash")
IMAPI_ERROR(REMOVABLE_STASH, "RemovableStash", "IMAPI_E_REMOVABLESTASH", 0x8004022BU,
            "Stash location on removable media")
IMAPI_ERROR(CANNOT_WRITE_TO_MEDIA, "CannotWriteToMedia", "IMAPI_E_CANNOT_WRITE_TO_MEDIA", 0x8004022CU,
            "Media cannot be written")
IMAPI_ERROR(TRACK_NOT_BIG_ENOUGH, "TrackNotBigEnough", "IMAPI_E_TRACK_NOT_BIG_ENOUGH", 0x8004022DU,
            "Track too small")
IMAPI_ERROR(BOOT_IMAGE_AND_NONBLANK_DISC, "BootImageAndNonblankDisc",
            "IMAPI_E_BOOTIMAGE_AND_NONBLANK_DISC", 0x8004022EU,
            "boot image requested on non-blank disc")
IMAPI_ERROR(REQUEST_CANCELLED, "RequestCancelled", "E_IMAPI_REQUEST_CANCELLED", 0xC0AA0002U,
            "The request was canceled")
IMAPI_ERROR(RECORDER_REQUIRED, "RecorderRequired", "E_IMAPI_RECORDER_REQUIRED", 0xC0AA0003U,
            "The request requires a current disc recorder to be selected")
IMAPI_ERROR(BURN_VERIFICATION_FAILED, "BurnVerificationFailed",
            "E_IMAPI_BURN_VERIFICATION_FAILED", 0xC0AA0007U,
            "The disc did not pass burn verification and may contain corrupt data or be unusable")
IMAPI_ERROR(RECORDER_NO_SUCH_MODE_PAGE, "RecorderNoSuchModePage",
            "E_IMAPI_RECORDER_NO_SUCH_MODE_PAGE", 0xC0AA0201U,
            "Requested mode page (and type) not present")
IMAPI_ERROR(RECORDER_MEDIA_NO_MEDIA, "RecorderMediaNoMedia", "E_IMAPI_RECORDER_MEDIA_NO_MEDIA", 0xC0AA0202U,
            "No media in the device")
IMAPI_ERROR(RECORDER_MEDIA_INCOMPATIBLE, "RecorderMediaIncompatible",
            "E_IMAPI_RECORDER_MEDIA_INCOMPATIBLE", 0xC0AA0203U,
            "Media not compatible or of unknown physical format")
IMAPI_ERROR(RECORDER_MEDIA_UPSIDE_DOWN, "RecorderMediaUpsideDown",
            "E_IMAPI_RECORDER_MEDIA_UPSIDE_DOWN", 0xC0AA0204U,
            "Media inserted upside down")
IMAPI_ERROR(RECORDER_MEDIA_BECOMING_READY, "RecorderMediaBecomingReady",
            "E_IMAPI_RECORDER_MEDIA_BECOMING_READY", 0xC0AA0205U,
            "Drive is becoming ready; retry later")
IMAPI_ERROR(RECORDER_MEDIA_FORMAT_IN_PROGRESS, "RecorderMediaFormatInProgress",
            "E_IMAPI_RECORDER_MEDIA_FORMAT_IN_PROGRESS", 0xC0AA0206U,
            "Media is being formatted; wait for completion")
IMAPI_ERROR(RECORDER_MEDIA_BUSY, "RecorderMediaBusy", "E_IMAPI_RECORDER_MEDIA_BUSY", 0xC0AA0207U,
            "Drive performing a long-running operation (e.g. finishing a write)")
IMAPI_ERROR(RECORDER_INVALID_MODE_PARAMETERS, "RecorderInvalidModeParameters",
            "E_IMAPI_RECORDER_INVALID_MODE_PARAMETERS", 0xC0AA0208U,
            "MODE SELECT parameter combination not supported")
IMAPI_ERROR(RECORDER_MEDIA_WRITE_PROTECTED, "RecorderMediaWriteProtected",
            "E_IMAPI_RECORDER_MEDIA_WRITE_PROTECTED", 0xC0AA0209U,
            "Media is write protected")
IMAPI_ERROR(RECORDER_NO_SUCH_FEATURE, "RecorderNoSuchFeature",
            "E_IMAPI_RECORDER_NO_SUCH_FEATURE", 0xC0AA020AU,
            "Requested feature page not supported by the device")
IMAPI_ERROR(RECORDER_FEATURE_IS_NOT_CURRENT, "RecorderFeatureIsNotCurrent",
            "E_IMAPI_RECORDER_FEATURE_IS_NOT_CURRENT", 0xC0AA020BU,
            "Feature page supported but not current")
IMAPI_ERROR(RECORDER_GET_CONFIGURATION_NOT_SUPPORTED, "RecorderGetConfigurationNotSupported",
            "E_IMAPI_RECORDER_GET_CONFIGURATION_NOT_SUPPORTED", 0xC0AA020CU,
            "Drive does not support GET CONFIGURATION")
IMAPI_ERROR(RECORDER_COMMAND_TIMEOUT, "RecorderCommandTimeout",
            "E_IMAPI_RECORDER_COMMAND_TIMEOUT", 0xC0AA020DU,
            "Device did not accept the command within the timeout")
IMAPI_ERROR(RECORDER_DVD_STRUCTURE_NOT_PRESENT, "RecorderDvdStructureNotPresent",
            "E_IMAPI_RECORDER_DVD_STRUCTURE_NOT_PRESENT", 0xC0AA020EU,
            "DVD structure not present (incompatible drive/medium)")
IMAPI_ERROR(RECORDER_MEDIA_SPEED_MISMATCH, "RecorderMediaSpeedMismatch",
            "E_IMAPI_RECORDER_MEDIA_SPEED_MISMATCH", 0xC0AA020FU,
            "Media speed incompatible with the device")
IMAPI_ERROR(RECORDER_LOCKED, "RecorderLocked", "E_IMAPI_RECORDER_LOCKED", 0xC0AA0210U,
            "Device was exclusively locked (by another client) during the last operation")
IMAPI_ERROR(RECORDER_CLIENT_NAME_IS_NOT_VALID, "RecorderClientNameIsNotValid",
            "E_IMAPI_RECORDER_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0211U,
            "The client name is not valid")
IMAPI_ERROR(RECORDER_MEDIA_NOT_FORMATTED, "RecorderMediaNotFormatted",
            "E_IMAPI_RECORDER_MEDIA_NOT_FORMATTED", 0xC0AA0212U,
            "Media is not formatted (inferred from name)")
IMAPI_ERROR(RECORDER_INVALID_RESPONSE_FROM_DEVICE, "RecorderInvalidResponseFromDevice",
            "E_IMAPI_RECORDER_INVALID_RESPONSE_FROM_DEVICE", 0xC0AA02FFU,
            "Device reported unexpected or invalid data")
IMAPI_ERROR(UNEXPECTED_RESPONSE_FROM_DEVICE, "UnexpectedResponseFromDevice",
            "E_IMAPI_UNEXPECTED_RESPONSE_FROM_DEVICE", 0xC0AA0301U,
            "Write failed: unrecoverable error information from the drive")
IMAPI_ERROR(DF2_DATA_WRITE_IN_PROGRESS, "Df2DataWriteInProgress",
            "E_IMAPI_DF2DATA_WRITE_IN_PROGRESS", 0xC0AA0400U,
            "A write operation is in progress")
IMAPI_ERROR(DF2_DATA_WRITE_NOT_IN_PROGRESS, "Df2DataWriteNotInProgress",
            "E_IMAPI_DF2DATA_WRITE_NOT_IN_PROGRESS", 0xC0AA0401U,
            "No write operation in progress")
IMAPI_ERROR(DF2_DATA_INVALID_MEDIA_STATE, "Df2DataInvalidMediaState",
            "E_IMAPI_DF2DATA_INVALID_MEDIA_STATE", 0xC0AA0402U,
            "Operation only valid with supported media")
IMAPI_ERROR(DF2_DATA_STREAM_NOT_SUPPORTED, "Df2DataStreamNotSupported",
            "E_IMAPI_DF2DATA_STREAM_NOT_SUPPORTED", 0xC0AA0403U,
            "Stream not supported (size must be a multiple of 2048)")
IMAPI_ERROR(DF2_DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA, "Df2DataStreamTooLargeForCurrentMedia",
            "E_IMAPI_DF2DATA_STREAM_TOO_LARGE_FOR_CURRENT_MEDIA", 0xC0AA0404U,
            "Stream too large for the inserted media")
IMAPI_ERROR(DF2_DATA_MEDIA_NOT_BLANK, "Df2DataMediaNotBlank", "E_IMAPI_DF2DATA_MEDIA_NOT_BLANK", 0xC0AA0405U,
            "Overwriting non-blank media needs ForceOverwrite = TRUE")
IMAPI_ERROR(DF2_DATA_MEDIA_IS_NOT_SUPPORTED, "Df2DataMediaIsNotSupported",
            "E_IMAPI_DF2DATA_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0406U,
            "Current media type unsupported")
IMAPI_ERROR(DF2_DATA_RECORDER_NOT_SUPPORTED, "Df2DataRecorderNotSupported",
            "E_IMAPI_DF2DATA_RECORDER_NOT_SUPPORTED", 0xC0AA0407U,
            "Device lacks operations required by this format")
IMAPI_ERROR(DF2_DATA_CLIENT_NAME_IS_NOT_VALID, "Df2DataClientNameIsNotValid",
            "E_IMAPI_DF2DATA_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0408U,
            "The client name is not valid")
IMAPI_ERROR(DF2_TAO_WRITE_IN_PROGRESS, "Df2TaoWriteInProgress",
            "E_IMAPI_DF2TAO_WRITE_IN_PROGRESS", 0xC0AA0500U,
            "A write operation is in progress")
IMAPI_ERROR(DF2_TAO_WRITE_NOT_IN_PROGRESS, "Df2TaoWriteNotInProgress",
            "E_IMAPI_DF2TAO_WRITE_NOT_IN_PROGRESS", 0xC0AA0501U,
            "No write operation in progress")
IMAPI_ERROR(DF2_TAO_MEDIA_IS_NOT_PREPARED, "Df2TaoMediaIsNotPrepared",
            "E_IMAPI_DF2TAO_MEDIA_IS_NOT_PREPARED", 0xC0AA0502U,
            "Only valid after PrepareMedia")
IMAPI_ERROR(DF2_TAO_MEDIA_IS_PREPARED, "Df2TaoMediaIsPrepared",
            "E_IMAPI_DF2TAO_MEDIA_IS_PREPARED", 0xC0AA0503U,
            "Not valid while media is prepared but not released")
IMAPI_ERROR(DF2_TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY, "Df2TaoPropertyForBlankMediaOnly",
            "E_IMAPI_DF2TAO_PROPERTY_FOR_BLANK_MEDIA_ONLY", 0xC0AA0504U,
            "Property cannot change once media has been written")
IMAPI_ERROR(DF2_TAO_TABLE_OF_CONTENTS_EMPTY_DISC, "Df2TaoTableOfContentsEmptyDisc",
            "E_IMAPI_DF2TAO_TABLE_OF_CONTENTS_EMPTY_DISC", 0xC0AA0505U,
            "TOC cannot be retrieved from an empty disc")
IMAPI_ERROR(DF2_TAO_MEDIA_IS_NOT_BLANK, "Df2TaoMediaIsNotBlank",
            "E_IMAPI_DF2TAO_MEDIA_IS_NOT_BLANK", 0xC0AA0506U,
            "Only blank CD-R/RW media is supported")
IMAPI_ERROR(DF2_TAO_MEDIA_IS_NOT_SUPPORTED, "Df2TaoMediaIsNotSupported",
            "E_IMAPI_DF2TAO_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0507U,
            "Only blank CD-R/RW media is supported")
IMAPI_ERROR(DF2_TAO_TRACK_LIMIT_REACHED, "Df2TaoTrackLimitReached",
            "E_IMAPI_DF2TAO_TRACK_LIMIT_REACHED", 0xC0AA0508U,
            "CD-R/RW support a maximum of 99 audio tracks")
IMAPI_ERROR(DF2_TAO_NOT_ENOUGH_SPACE, "Df2TaoNotEnoughSpace", "E_IMAPI_DF2TAO_NOT_ENOUGH_SPACE", 0xC0AA0509U,
            "Not enough space left for the audio track")
IMAPI_ERROR(DF2_TAO_NO_RECORDER_SPECIFIED, "Df2TaoNoRecorderSpecified",
            "E_IMAPI_DF2TAO_NO_RECORDER_SPECIFIED", 0xC0AA050AU,
            "Cannot prepare media before choosing a recorder")
IMAPI_ERROR(DF2_TAO_INVALID_ISRC, "Df2TaoInvalidIsrc", "E_IMAPI_DF2TAO_INVALID_ISRC", 0xC0AA050BU,
            "The ISRC is not valid")
IMAPI_ERROR(DF2_TAO_INVALID_MCN, "Df2TaoInvalidMcn", "E_IMAPI_DF2TAO_INVALID_MCN", 0xC0AA050CU,
            "The Media Catalog Number is not valid")
IMAPI_ERROR(DF2_TAO_STREAM_NOT_SUPPORTED, "Df2TaoStreamNotSupported",
            "E_IMAPI_DF2TAO_STREAM_NOT_SUPPORTED", 0xC0AA050DU,
            "The audio stream is not valid")
IMAPI_ERROR(DF2_TAO_RECORDER_NOT_SUPPORTED, "Df2TaoRecorderNotSupported",
            "E_IMAPI_DF2TAO_RECORDER_NOT_SUPPORTED", 0xC0AA050EU,
            "Device lacks operations required by this format")
IMAPI_ERROR(DF2_TAO_CLIENT_NAME_IS_NOT_VALID, "Df2TaoClientNameIsNotValid",
            "E_IMAPI_DF2TAO_CLIENT_NAME_IS_NOT_VALID", 0xC0AA050FU,
            "The client name is not valid")
IMAPI_ERROR(DF2_RAW_WRITE_IN_PROGRESS, "Df2RawWriteInProgress",
            "E_IMAPI_DF2RAW_WRITE_IN_PROGRESS", 0xC0AA0600U,
            "A write operation is in progress")
IMAPI_ERROR(DF2_RAW_WRITE_NOT_IN_PROGRESS, "Df2RawWriteNotInProgress",
            "E_IMAPI_DF2RAW_WRITE_NOT_IN_PROGRESS", 0xC0AA0601U,
            "No write operation in progress")
IMAPI_ERROR(DF2_RAW_MEDIA_IS_NOT_PREPARED, "Df2RawMediaIsNotPrepared",
            "E_IMAPI_DF2RAW_MEDIA_IS_NOT_PREPARED", 0xC0AA0602U,
            "Only valid after PrepareMedia")
IMAPI_ERROR(DF2_RAW_MEDIA_IS_PREPARED, "Df2RawMediaIsPrepared",
            "E_IMAPI_DF2RAW_MEDIA_IS_PREPARED", 0xC0AA0603U,
            "Not valid while media is prepared but not released")
IMAPI_ERROR(DF2_RAW_CLIENT_NAME_IS_NOT_VALID, "Df2RawClientNameIsNotValid",
            "E_IMAPI_DF2RAW_CLIENT_NAME_IS_NOT_VALID", 0xC0AA0604U,
            "The client name is not valid")
IMAPI_ERROR(DF2_RAW_MEDIA_IS_NOT_BLANK, "Df2RawMediaIsNotBlank",
            "E_IMAPI_DF2RAW_MEDIA_IS_NOT_BLANK", 0xC0AA0606U,
            "Only blank CD-R/RW media is supported")
IMAPI_ERROR(DF2_RAW_MEDIA_IS_NOT_SUPPORTED, "Df2RawMediaIsNotSupported",
            "E_IMAPI_DF2RAW_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0607U,
            "Only blank CD-R/RW media is supported")
IMAPI_ERROR(DF2_RAW_NOT_ENOUGH_SPACE, "Df2RawNotEnoughSpace", "E_IMAPI_DF2RAW_NOT_ENOUGH_SPACE", 0xC0AA0609U,
            "Not enough space on the media for the session")
IMAPI_ERROR(DF2_RAW_NO_RECORDER_SPECIFIED, "Df2RawNoRecorderSpecified",
            "E_IMAPI_DF2RAW_NO_RECORDER_SPECIFIED", 0xC0AA060AU,
            "Cannot prepare media before choosing a recorder")
IMAPI_ERROR(DF2_RAW_STREAM_NOT_SUPPORTED, "Df2RawStreamNotSupported",
            "E_IMAPI_DF2RAW_STREAM_NOT_SUPPORTED", 0xC0AA060DU,
            "The (raw) stream is not valid")
IMAPI_ERROR(DF2_RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED, "Df2RawDataBlockTypeNotSupported",
            "E_IMAPI_DF2RAW_DATA_BLOCK_TYPE_NOT_SUPPORTED", 0xC0AA060EU,
            "Requested data block (subcode) type not supported by the device")
IMAPI_ERROR(DF2_RAW_STREAM_LEADIN_TOO_SHORT, "Df2RawStreamLeadinTooShort",
            "E_IMAPI_DF2RAW_STREAM_LEADIN_TOO_SHORT", 0xC0AA060FU,
            "Stream lacks enough lead-in sectors for the current media")
IMAPI_ERROR(DF2_RAW_RECORDER_NOT_SUPPORTED, "Df2RawRecorderNotSupported",
            "E_IMAPI_DF2RAW_RECORDER_NOT_SUPPORTED", 0xC0AA0610U,
            "Device lacks operations required by this format")
IMAPI_ERROR(ERASE_RECORDER_IN_USE, "EraseRecorderInUse", "E_IMAPI_ERASE_RECORDER_IN_USE", 0x80AA0900U,
            "Recorder in use by an erase; cannot set/clear recorder now")
IMAPI_ERROR(ERASE_ONLY_ONE_RECORDER_SUPPORTED, "EraseOnlyOneRecorderSupported",
            "E_IMAPI_ERASE_ONLY_ONE_RECORDER_SUPPORTED", 0x80AA0901U,
            "Erase supports one recorder; clear current before setting a new one")
IMAPI_ERROR(ERASE_DISC_INFORMATION_TOO_SMALL, "EraseDiscInformationTooSmall",
            "E_IMAPI_ERASE_DISC_INFORMATION_TOO_SMALL", 0x80AA0902U,
            "Drive returned insufficient READ DISC INFORMATION data")
IMAPI_ERROR(ERASE_MODE_PAGE2A_TOO_SMALL, "EraseModePage2aTooSmall",
            "E_IMAPI_ERASE_MODE_PAGE_2A_TOO_SMALL", 0x80AA0903U,
            "Drive returned insufficient MODE SENSE page 0x2A data")
IMAPI_ERROR(ERASE_MEDIA_IS_NOT_ERASABLE, "EraseMediaIsNotErasable",
            "E_IMAPI_ERASE_MEDIA_IS_NOT_ERASABLE", 0x80AA0904U,
            "Media is not erasable")
IMAPI_ERROR(ERASE_DRIVE_FAILED_ERASE_COMMAND, "EraseDriveFailedEraseCommand",
            "E_IMAPI_ERASE_DRIVE_FAILED_ERASE_COMMAND", 0x80AA0905U,
            "Drive failed the erase command")
IMAPI_ERROR(ERASE_TOOK_LONGER_THAN_ONE_HOUR, "EraseTookLongerThanOneHour",
            "E_IMAPI_ERASE_TOOK_LONGER_THAN_ONE_HOUR", 0x80AA0906U,
            "Erase did not complete within one hour (also returned for bad CD-RW/DVD-RW media)")
IMAPI_ERROR(ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE, "EraseUnexpectedDriveResponseDuringErase",
            "E_IMAPI_ERASE_UNEXPECTED_DRIVE_RESPONSE_DURING_ERASE", 0x80AA0907U,
            "Unexpected drive error during erase; state uncertain")
IMAPI_ERROR(ERASE_DRIVE_FAILED_SPINUP_COMMAND, "EraseDriveFailedSpinupCommand",
            "E_IMAPI_ERASE_DRIVE_FAILED_SPINUP_COMMAND", 0x80AA0908U,
            "START UNIT (spin-up) failed")
IMAPI_ERROR(ERASE_MEDIA_IS_NOT_SUPPORTED, "EraseMediaIsNotSupported",
            "E_IMAPI_ERASE_MEDIA_IS_NOT_SUPPORTED", 0xC0AA0909U,
            "Current media type unsupported for erase")
IMAPI_ERROR(ERASE_RECORDER_NOT_SUPPORTED, "EraseRecorderNotSupported",
            "E_IMAPI_ERASE_RECORDER_NOT_SUPPORTED", 0xC0AA090AU,
            "Device lacks operations required for erase")
IMAPI_ERROR(ERASE_CLIENT_NAME_IS_NOT_VALID, "EraseClientNameIsNotValid",
            "E_IMAPI_ERASE_CLIENT_NAME_IS_NOT_VALID", 0xC0AA090BU,
            "The client name is not valid")
IMAPI_ERROR(RAW_IMAGE_IS_READ_ONLY, "RawImageIsReadOnly", "E_IMAPI_RAW_IMAGE_IS_READ_ONLY", 0x80AA0A00U,
            "Image is read-only after IRawCDImageCreator::CreateResultImage")
IMAPI_ERROR(RAW_IMAGE_TOO_MANY_TRACKS, "RawImageTooManyTracks",
            "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACKS", 0x80AA0A01U,
            "No more tracks: CD is limited to tracks 1-99")
IMAPI_ERROR(RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED, "RawImageSectorTypeNotSupported",
            "E_IMAPI_RAW_IMAGE_SECTOR_TYPE_NOT_SUPPORTED", 0x80AA0A02U,
            "Requested sector type not supported")
IMAPI_ERROR(RAW_IMAGE_NO_TRACKS, "RawImageNoTracks", "E_IMAPI_RAW_IMAGE_NO_TRACKS", 0x80AA0A03U,
            "Tracks must be added before using this function")
IMAPI_ERROR(RAW_IMAGE_TRACKS_ALREADY_ADDED, "RawImageTracksAlreadyAdded",
            "E_IMAPI_RAW_IMAGE_TRACKS_ALREADY_ADDED", 0x80AA0A04U,
            "Function must be used before any track is added")
IMAPI_ERROR(RAW_IMAGE_INSUFFICIENT_SPACE, "RawImageInsufficientSpace",
            "E_IMAPI_RAW_IMAGE_INSUFFICIENT_SPACE", 0x80AA0A05U,
            "Track would exceed the start-of-lead-out limit")
IMAPI_ERROR(RAW_IMAGE_TOO_MANY_TRACK_INDEXES, "RawImageTooManyTrackIndexes",
            "E_IMAPI_RAW_IMAGE_TOO_MANY_TRACK_INDEXES", 0x80AA0A06U,
            "Would exceed the 99-index limit")
IMAPI_ERROR(RAW_IMAGE_TRACK_INDEX_NOT_FOUND, "RawImageTrackIndexNotFound",
            "E_IMAPI_RAW_IMAGE_TRACK_INDEX_NOT_FOUND", 0x80AA0A07U,
            "LBA offset is not in the track's index list")
IMAPI_ERROR(RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED, "RawImageTrackIndexOffsetZeroCannotBeCleared",
            "E_IMAPI_RAW_IMAGE_TRACK_INDEX_OFFSET_ZERO_CANNOT_BE_CLEARED", 0x80AA0A09U,
            "Index 1 (LBA offset 0) cannot be cleared")
IMAPI_ERROR(RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX, "RawImageTrackIndexTooCloseToOtherIndex",
            "E_IMAPI_RAW_IMAGE_TRACK_INDEX_TOO_CLOSE_TO_OTHER_INDEX", 0x80AA0A0AU,
            "Each index must be at least 10 sectors long")
IMAPI_ERROR(FSI_INTERNAL_ERROR, "FsiInternalError", "IMAPI_E_FSI_INTERNAL_ERROR", 0xC0AAB100U,
            "An internal error occurred in the file system image")
IMAPI_ERROR(INVALID_PARAM, "InvalidParam", "IMAPI_E_INVALID_PARAM", 0xC0AAB101U,
            "Value specified for parameter is not valid")
IMAPI_ERROR(READONLY, "Readonly", "IMAPI_E_READONLY", 0xC0AAB102U,
            "FileSystemImage object is in read-only mode (after CreateResultImage)")
IMAPI_ERROR(NO_OUTPUT, "NoOutput", "IMAPI_E_NO_OUTPUT", 0xC0AAB103U, "No output file system specified")
IMAPI_ERROR(INVALID_VOLUME_NAME, "InvalidVolumeName", "IMAPI_E_INVALID_VOLUME_NAME", 0xC0AAB104U,
            "Volume identifier too long or has invalid characters")
IMAPI_ERROR(INVALID_DATE, "InvalidDate", "IMAPI_E_INVALID_DATE", 0xC0AAB105U,
            "Invalid file dates: time is earlier than time")
IMAPI_ERROR(FILE_SYSTEM_NOT_EMPTY, "FileSystemNotEmpty", "IMAPI_E_FILE_SYSTEM_NOT_EMPTY", 0xC0AAB106U,
            "The file system must be empty for this function")
IMAPI_ERROR(NOT_FILE, "NotFile", "IMAPI_E_NOT_FILE", 0xC0AAB108U, "Path does not identify a file")
IMAPI_ERROR(NOT_DIR, "NotDir", "IMAPI_E_NOT_DIR", 0xC0AAB109U, "Path does not identify a directory")
IMAPI_ERROR(DIR_NOT_EMPTY, "DirNotEmpty", "IMAPI_E_DIR_NOT_EMPTY", 0xC0AAB10AU, "Directory is not empty")
IMAPI_ERROR(NOT_IN_FILE_SYSTEM, "NotInFileSystem", "IMAPI_E_NOT_IN_FILE_SYSTEM", 0xC0AAB10BU,
            "is not part of the file system; add it first")
IMAPI_ERROR(INVALID_PATH, "InvalidPath", "IMAPI_E_INVALID_PATH", 0xC0AAB110U,
            "Path badly formed or contains invalid characters")
IMAPI_ERROR(RESTRICTED_NAME_VIOLATION, "RestrictedNameViolation",
            "IMAPI_E_RESTRICTED_NAME_VIOLATION", 0xC0AAB111U,
            "Name illegal: with UseRestrictedCharacterSet only ANSI characters allowed")
IMAPI_ERROR(DUP_NAME, "DupName", "IMAPI_E_DUP_NAME", 0xC0AAB112U, "name already exists")
IMAPI_ERROR(NO_UNIQUE_NAME, "NoUniqueName", "IMAPI_E_NO_UNIQUE_NAME", 0xC0AAB113U,
            "Adding failed: cannot create a unique FS-specific name for the file system")
IMAPI_ERROR(ITEM_NOT_FOUND, "ItemNotFound", "IMAPI_E_ITEM_NOT_FOUND", 0xC0AAB118U,
            "Cannot find item in FileSystemImage hierarchy")
IMAPI_ERROR(FILE_NOT_FOUND, "FileNotFound", "IMAPI_E_FILE_NOT_FOUND", 0xC0AAB119U,
            "File not found in FileSystemImage hierarchy")
IMAPI_ERROR(DIR_NOT_FOUND, "DirNotFound", "IMAPI_E_DIR_NOT_FOUND", 0xC0AAB11AU,
            "Directory not found in FileSystemImage hierarchy")
IMAPI_ERROR(IMAGE_SIZE_LIMIT, "ImageSizeLimit", "IMAPI_E_IMAGE_SIZE_LIMIT", 0xC0AAB120U,
            "Adding would exceed the configured image size limit")
IMAPI_ERROR(IMAGE_TOO_BIG, "ImageTooBig", "IMAPI_E_IMAGE_TOO_BIG", 0xC0AAB121U,
            "FreeMediaBlocks too small for the estimated image size")
IMAPI_ERROR(DATA_STREAM_INCONSISTENCY, "DataStreamInconsistency",
            "IMAPI_E_DATA_STREAM_INCONSISTENCY", 0xC0AAB128U,
            "A file's data changed since it was staged: its size or time differs, or it is shorter")
IMAPI_ERROR(DATA_STREAM_READ_FAILURE, "DataStreamReadFailure",
            "IMAPI_E_DATA_STREAM_READ_FAILURE", 0xC0AAB129U,
            "Cannot read data from stream supplied for")
IMAPI_ERROR(DATA_STREAM_CREATE_FAILURE, "DataStreamCreateFailure",
            "IMAPI_E_DATA_STREAM_CREATE_FAILURE", 0xC0AAB12AU,
            "Error creating data stream for")
IMAPI_ERROR(DIRECTORY_READ_FAILURE, "DirectoryReadFailure", "IMAPI_E_DIRECTORY_READ_FAILURE", 0xC0AAB12BU,
            "Failure enumerating files: directory tree inaccessible (permissions)")
IMAPI_ERROR(TOO_MANY_DIRS, "TooManyDirs", "IMAPI_E_TOO_MANY_DIRS", 0xC0AAB130U,
            "Too many directories for the file system")
IMAPI_ERROR(ISO9660_LEVELS, "Iso9660Levels", "IMAPI_E_ISO9660_LEVELS", 0xC0AAB131U,
            "ISO9660 is limited to 8 levels of directories")
IMAPI_ERROR(DATA_TOO_BIG, "DataTooBig", "IMAPI_E_DATA_TOO_BIG", 0xC0AAB132U,
            "Data file too large for the file system")
IMAPI_ERROR(INCOMPATIBLE_PREVIOUS_SESSION, "IncompatiblePreviousSession",
            "IMAPI_E_INCOMPATIBLE_PREVIOUS_SESSION", 0xC0AAB133U,
            "Incompatible layout of the previous session imported from the medium")
IMAPI_ERROR(STASH_FILE_OPEN_FAILURE, "StashFileOpenFailure", "IMAPI_E_STASHFILE_OPEN_FAILURE", 0xC0AAB138U,
            "Cannot initialize stash file")
IMAPI_ERROR(STASH_FILE_SEEK_FAILURE, "StashFileSeekFailure", "IMAPI_E_STASHFILE_SEEK_FAILURE", 0xC0AAB139U,
            "Error seeking in stash file")
IMAPI_ERROR(STASH_FILE_WRITE_FAILURE, "StashFileWriteFailure",
            "IMAPI_E_STASHFILE_WRITE_FAILURE", 0xC0AAB13AU,
            "Error writing to stash file")
IMAPI_ERROR(STASH_FILE_READ_FAILURE, "StashFileReadFailure", "IMAPI_E_STASHFILE_READ_FAILURE", 0xC0AAB13BU,
            "Error reading from stash file")
IMAPI_ERROR(INVALID_WORKING_DIRECTORY, "InvalidWorkingDirectory",
            "IMAPI_E_INVALID_WORKING_DIRECTORY", 0xC0AAB140U,
            "Working directory is not valid")
IMAPI_ERROR(WORKING_DIRECTORY_SPACE, "WorkingDirectorySpace", "IMAPI_E_WORKING_DIRECTORY_SPACE", 0xC0AAB141U,
            "The working directory has not enough free space")
IMAPI_ERROR(STASH_FILE_MOVE, "StashFileMove", "IMAPI_E_STASHFILE_MOVE", 0xC0AAB142U,
            "Moving the stash file to directory failed")
IMAPI_ERROR(BOOT_IMAGE_DATA, "BootImageData", "IMAPI_E_BOOT_IMAGE_DATA", 0xC0AAB148U,
            "The boot object could not be added to the image")
IMAPI_ERROR(BOOT_OBJECT_CONFLICT, "BootObjectConflict", "IMAPI_E_BOOT_OBJECT_CONFLICT", 0xC0AAB149U,
            "A boot object can only be included in an initial disc image")
IMAPI_ERROR(BOOT_EMULATION_IMAGE_SIZE_MISMATCH, "BootEmulationImageSizeMismatch",
            "IMAPI_E_BOOT_EMULATION_IMAGE_SIZE_MISMATCH", 0xC0AAB14AU,
            "Emulation type does not match the boot image size")
IMAPI_ERROR(EMPTY_DISC, "EmptyDisc", "IMAPI_E_EMPTY_DISC", 0xC0AAB150U, "Optical media is empty")
IMAPI_ERROR(NO_SUPPORTED_FILE_SYSTEM, "NoSupportedFileSystem",
            "IMAPI_E_NO_SUPPORTED_FILE_SYSTEM", 0xC0AAB151U,
            "Disc contains none of the supported file systems")
IMAPI_ERROR(FILE_SYSTEM_NOT_FOUND, "FileSystemNotFound", "IMAPI_E_FILE_SYSTEM_NOT_FOUND", 0xC0AAB152U,
            "Disc does not contain a file system")
IMAPI_ERROR(FILE_SYSTEM_READ_CONSISTENCY_ERROR, "FileSystemReadConsistencyError",
            "IMAPI_E_FILE_SYSTEM_READ_CONSISTENCY_ERROR", 0xC0AAB153U,
            "Consistency error while importing the file system")
IMAPI_ERROR(FILE_SYSTEM_FEATURE_NOT_SUPPORTED, "FileSystemFeatureNotSupported",
            "IMAPI_E_FILE_SYSTEM_FEATURE_NOT_SUPPORTED", 0xC0AAB154U,
            "The file system on the disc has a feature that cannot be imported")
IMAPI_ERROR(IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY, "ImportTypeCollisionFileExistsAsDirectory",
            "IMAPI_E_IMPORT_TYPE_COLLISION_FILE_EXISTS_AS_DIRECTORY", 0xC0AAB155U,
            "An imported file exists in the image as a directory")
IMAPI_ERROR(IMPORT_SEEK_FAILURE, "ImportSeekFailure", "IMAPI_E_IMPORT_SEEK_FAILURE", 0xC0AAB156U,
            "Cannot seek to block on source disc")
IMAPI_ERROR(IMPORT_READ_FAILURE, "ImportReadFailure", "IMAPI_E_IMPORT_READ_FAILURE", 0xC0AAB157U,
            "Import failed reading a block on the media (likely block )")
IMAPI_ERROR(DISC_MISMATCH, "DiscMismatch", "IMAPI_E_DISC_MISMATCH", 0xC0AAB158U,
            "Current disc is not the one the file system was imported from")
IMAPI_ERROR(IMPORT_MEDIA_NOT_ALLOWED, "ImportMediaNotAllowed",
            "IMAPI_E_IMPORT_MEDIA_NOT_ALLOWED", 0xC0AAB159U,
            "Multisession not allowed with the current media type")
IMAPI_ERROR(UDF_NOT_WRITE_COMPATIBLE, "UdfNotWriteCompatible",
            "IMAPI_E_UDF_NOT_WRITE_COMPATIBLE", 0xC0AAB15AU,
            "No compatible UDF revision for write on this media; cannot multisession")
IMAPI_ERROR(INCOMPATIBLE_MULTISESSION_TYPE, "IncompatibleMultisessionType",
            "IMAPI_E_INCOMPATIBLE_MULTISESSION_TYPE", 0xC0AAB15BU,
            "Requested multisession type not supported")
IMAPI_ERROR(NO_COMPATIBLE_MULTISESSION_TYPE, "NoCompatibleMultisessionType",
            "IMAPI_E_NO_COMPATIBLE_MULTISESSION_TYPE", 0xC0AAB15CU,
            "None of the provided multisession types fits the media (also: ImportFileSystem with no media)")
IMAPI_ERROR(MULTISESSION_NOT_SET, "MultisessionNotSet", "IMAPI_E_MULTISESSION_NOT_SET", 0xC0AAB15DU,
            "MultisessionInterfaces must be set before calling this method")
IMAPI_ERROR(IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE, "ImportTypeCollisionDirectoryExistsAsFile",
            "IMAPI_E_IMPORT_TYPE_COLLISION_DIRECTORY_EXISTS_AS_FILE", 0xC0AAB15EU,
            "An imported directory exists in the image as a file")
IMAPI_ERROR(PROPERTY_NOT_ACCESSIBLE, "PropertyNotAccessible", "IMAPI_E_PROPERTY_NOT_ACCESSIBLE", 0xC0AAB160U,
            "Property is not accessible (e.g. named streams on a named stream)")
IMAPI_ERROR(UDF_REVISION_CHANGE_NOT_ALLOWED, "UdfRevisionChangeNotAllowed",
            "IMAPI_E_UDF_REVISION_CHANGE_NOT_ALLOWED", 0xC0AAB161U,
            "UDF revision cannot be changed (e.g. after import)")
IMAPI_ERROR(BAD_MULTISESSION_PARAMETER, "BadMultisessionParameter",
            "IMAPI_E_BAD_MULTISESSION_PARAMETER", 0xC0AAB162U,
            "A multisession parameter cannot be retrieved or is wrong")
IMAPI_ERROR(FILE_SYSTEM_CHANGE_NOT_ALLOWED, "FileSystemChangeNotAllowed",
            "IMAPI_E_FILE_SYSTEM_CHANGE_NOT_ALLOWED", 0xC0AAB163U,
            "Cannot change FileSystemsToCreate: imported and current session file systems do not match")
IMAPI_ERROR(IMAGE_MANAGER_IMAGE_NOT_ALIGNED, "ImageManagerImageNotAligned",
            "IMAPI_E_IMAGEMANAGER_IMAGE_NOT_ALIGNED", 0xC0AAB200U,
            "Image is not aligned on a 2 KiB sector boundary")
IMAPI_ERROR(IMAGE_MANAGER_NO_VALID_VD_FOUND, "ImageManagerNoValidVdFound",
            "IMAPI_E_IMAGEMANAGER_NO_VALID_VD_FOUND", 0xC0AAB201U,
            "Image has no valid volume descriptor")
IMAPI_ERROR(IMAGE_MANAGER_NO_IMAGE, "ImageManagerNoImage", "IMAPI_E_IMAGEMANAGER_NO_IMAGE", 0xC0AAB202U,
            "No image set (SetPath/SetStream) before Validate")
IMAPI_ERROR(IMAGE_MANAGER_IMAGE_TOO_BIG, "ImageManagerImageTooBig",
            "IMAPI_E_IMAGEMANAGER_IMAGE_TOO_BIG", 0xC0AAB203U,
            "Image too large to validate (exceeds MAXLONG)")
/* imapid's own errors: authorization, limits, and failures that IMAPI has no symbol for. */
IMAPI_ERROR(NOT_AUTHORIZED, "NotAuthorized", NULL, 0x00000000U, "The caller is not authorized to do this")
IMAPI_ERROR(NOT_AUTHORIZED_CAN_OBTAIN, "NotAuthorizedCanObtain", NULL, 0x00000000U,
            "Authentication is required; allow interactive authorization to obtain it")
IMAPI_ERROR(NOT_AUTHORIZED_DISMISSED, "NotAuthorizedDismissed", NULL, 0x00000000U,
            "The authentication dialog was dismissed")
IMAPI_ERROR(LIMITS_EXCEEDED, "LimitsExceeded", NULL, 0x00000000U,
            "A configured limit of imapid was exceeded")
IMAPI_ERROR(POLKIT_TIMEOUT, "PolkitTimeout", NULL, 0x00000000U,
            "The authorization service did not answer in time")
IMAPI_ERROR(BUSY, "Busy", NULL, 0x00000000U, "The disc master or recorder is busy with another operation")
IMAPI_ERROR(NOT_SUPPORTED, "NotSupported", NULL, 0x00000000U,
            "The operation is not supported for this recorder or medium")
IMAPI_ERROR(MEDIUM_NOT_BLANK, "MediumNotBlank", NULL, 0x00000000U, "The medium is not blank")
IMAPI_ERROR(MEDIUM_CLOSED, "MediumClosed", NULL, 0x00000000U,
            "The disc is closed (finalised) and cannot be written")
IMAPI_ERROR(MEDIUM_ERROR, "MediumError", NULL, 0x00000000U,
            "The recorder reported an unrecoverable medium error")
IMAPI_ERROR(RECORDER_ERROR, "RecorderError", NULL, 0x00000000U, "The recorder rejected a command or failed")
IMAPI_ERROR(INVALID_PCM, "InvalidPcm", NULL, 0x00000000U,
            "Audio data must be whole 2352-byte blocks of 44.1 kHz 16-bit stereo PCM")
