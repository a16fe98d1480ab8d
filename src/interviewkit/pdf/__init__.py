"""The PDF printer, beside the screens: Qt lays out the documents the services build.

* :mod:`.layout` and :mod:`.pages`: a small page-layout engine (flowables, pagination, header and footer);
* :mod:`.builder`: styles and the :class:`~.builder.Builder` of paragraphs, boxes and tables;
* :mod:`.scorecard`, :mod:`.debrief`, :mod:`.kit`, :mod:`.calibration` (with :mod:`.plots`): the documents;
* :mod:`.exports`: build a document with the services, print it, write the file (what the command line
  and the app call).

The document values are plain data in :mod:`interviewkit.services.documents` and
:mod:`interviewkit.services.calibration_report`; nothing below this package knows about Qt.
"""
