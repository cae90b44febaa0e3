"""Runs under Debian's python3 (which has ``uno``): drives one headless LibreOffice for the tests.

Reads one JSON command a line on stdin, answers one JSON line on stdout:
``open`` a workbook, ``set`` cells, ``recalculate``, ``get`` cells, ``sort`` a
range as Calc's Data > Sort does, ``close``. One LibreOffice session serves
every workbook of a test module, so a recalculation costs milliseconds, not a
start of the office. Not a test module: ``tests/libreoffice_session.py`` starts it.
"""

import json
import sys
import time

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException
from com.sun.star.table import TableSortField


def connect(pipe: str, timeout: float = 120.0):
    resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
    deadline = time.monotonic() + timeout
    while True:  # the office opens its pipe once it has started
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            return context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def prop(name, value):
    item = PropertyValue()
    item.Name, item.Value = name, value
    return item


def read(cell):
    kind = cell.getType().value
    if kind == "EMPTY":
        return None
    if kind == "FORMULA":
        if cell.getError():
            return {"error": cell.getString() or f"Err:{cell.getError()}"}
        return cell.getValue() if cell.FormulaResultType2 == 1 else cell.getString()
    return cell.getValue() if kind == "VALUE" else cell.getString()


def main(pipe: str) -> None:
    desktop = connect(pipe)
    doc = None
    for line in sys.stdin:
        command = json.loads(line)
        try:
            action = command["do"]
            if action == "open":
                if doc is not None:
                    doc.close(True)
                doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(command["path"]), "_blank", 0,
                                                   (prop("Hidden", True),))
                doc.calculateAll()
                answer = {"sheets": list(doc.Sheets.ElementNames)}
            elif action == "set":
                for sheet, cell, value in command["cells"]:
                    target = doc.Sheets.getByName(sheet).getCellRangeByName(cell)
                    if isinstance(value, str):
                        target.setString(value)
                    else:
                        target.setValue(value)
                answer = {}
            elif action == "recalculate":
                doc.calculateAll()
                answer = {}
            elif action == "get":
                answer = {"values": [read(doc.Sheets.getByName(sheet).getCellRangeByName(cell))
                                     for sheet, cell in command["cells"]]}
            elif action == "sort":
                block = doc.Sheets.getByName(command["sheet"]).getCellRangeByName(command["range"])
                field = TableSortField()
                field.Field, field.IsAscending = command["column"], not command["descending"]
                block.sort((prop("SortFields", uno.Any("[]com.sun.star.table.TableSortField", (field,))),
                            prop("ContainsHeader", False)))
                answer = {}
            elif action == "close":
                if doc is not None:
                    doc.close(True)
                doc = None
                answer = {}
            else:
                answer = {"problem": f"unknown command {action}"}
        except Exception as error:  # the test shows what the office said
            answer = {"problem": f"{type(error).__name__}: {error}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
