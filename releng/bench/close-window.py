#!/usr/bin/env python3
"""Waits for a mapped top-level window whose title starts with TITLE and asks it to close as a window manager would
(the WM_DELETE_WINDOW protocol), so that the application ends as when its user closes it. Under Xvfb there is no
window manager to do it, and no package beyond libX11 (which GTK brings) is needed: Xlib through ctypes.

    close-window.py TITLE PID SECONDS   (on $DISPLAY; exits 1 when PID ends or SECONDS pass without such a window)
"""
import ctypes
import os
import sys
import time

title, pid, seconds = sys.argv[1].encode(), int(sys.argv[2]), float(sys.argv[3])
x = ctypes.cdll.LoadLibrary("libX11.so.6")
Window = ctypes.c_ulong
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XDefaultRootWindow.restype = Window
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
x.XQueryTree.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(Window), ctypes.POINTER(Window),
                         ctypes.POINTER(ctypes.POINTER(Window)), ctypes.POINTER(ctypes.c_uint)]
x.XFetchName.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(ctypes.c_char_p)]
x.XFree.argtypes = [ctypes.c_void_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XFlush.argtypes = [ctypes.c_void_p]


class WindowAttributes(ctypes.Structure):
    _fields_ = [("x", ctypes.c_int), ("y", ctypes.c_int), ("width", ctypes.c_int), ("height", ctypes.c_int),
                ("border_width", ctypes.c_int), ("depth", ctypes.c_int), ("visual", ctypes.c_void_p),
                ("root", Window), ("c_class", ctypes.c_int), ("bit_gravity", ctypes.c_int),
                ("win_gravity", ctypes.c_int), ("backing_store", ctypes.c_int), ("backing_planes", ctypes.c_ulong),
                ("backing_pixel", ctypes.c_ulong), ("save_under", ctypes.c_int), ("colormap", ctypes.c_ulong),
                ("map_installed", ctypes.c_int), ("map_state", ctypes.c_int), ("all_event_masks", ctypes.c_long),
                ("your_event_mask", ctypes.c_long), ("do_not_propagate_mask", ctypes.c_long),
                ("override_redirect", ctypes.c_int), ("screen", ctypes.c_void_p)]


class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong), ("send_event", ctypes.c_int),
                ("display", ctypes.c_void_p), ("window", Window), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]


class XEvent(ctypes.Union):
    _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]


x.XGetWindowAttributes.argtypes = [ctypes.c_void_p, Window, ctypes.POINTER(WindowAttributes)]
x.XSendEvent.argtypes = [ctypes.c_void_p, Window, ctypes.c_int, ctypes.c_long, ctypes.POINTER(XEvent)]
IS_VIEWABLE, CLIENT_MESSAGE = 2, 33


def shown_window(display):
    """The first mapped child of the root whose name starts with the title (hidden e4 shells share the name)."""
    root, parent = Window(), Window()
    children, count = ctypes.POINTER(Window)(), ctypes.c_uint()
    if not x.XQueryTree(display, x.XDefaultRootWindow(display), ctypes.byref(root), ctypes.byref(parent),
                        ctypes.byref(children), ctypes.byref(count)):
        return None
    try:
        for i in range(count.value):
            name = ctypes.c_char_p()
            if x.XFetchName(display, children[i], ctypes.byref(name)) and name.value:
                matches = name.value.startswith(title)
                x.XFree(name)
                attributes = WindowAttributes()
                if matches and x.XGetWindowAttributes(display, children[i], ctypes.byref(attributes)) \
                        and attributes.map_state == IS_VIEWABLE:
                    return children[i]
    finally:
        if children:
            x.XFree(children)
    return None


display = x.XOpenDisplay(None)
if not display:
    sys.exit("cannot open the display " + os.environ.get("DISPLAY", "(none)"))
deadline = time.monotonic() + seconds
window = None
while window is None:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        sys.exit(f"process {pid} ended without showing a window titled {title.decode()}")
    if time.monotonic() > deadline:
        sys.exit(f"no window titled {title.decode()} within {seconds:.0f} s")
    window = shown_window(display)
    if window is None:
        time.sleep(0.05)  # polling the display: the harness has no other way to hear of the window
event = XEvent()
event.xclient.type = CLIENT_MESSAGE
event.xclient.display = display
event.xclient.window = window
event.xclient.message_type = x.XInternAtom(display, b"WM_PROTOCOLS", 0)
event.xclient.format = 32
event.xclient.data[0] = x.XInternAtom(display, b"WM_DELETE_WINDOW", 0)
x.XSendEvent(display, window, 0, 0, ctypes.byref(event))
x.XFlush(display)
