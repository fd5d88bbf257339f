"""Image: PNG/JPEG/GIF/WebP bytes, a data: URI, a PIL image or a matplotlib figure, embedded in the card."""

import base64
import io
import sys
import traceback

from ._base import UserComponent
from ._safe import error_dict, safe_text, type_name

IMAGE_LIMIT = 20 * 1024 * 1024  # bytes of one embedded image; a bigger one is refused with a note

_FAIL = "[IMAGE_RENDER FAIL]: %s"


def image_mime(data):
    """The MIME type of image bytes a browser shows (PNG, JPEG, GIF, WebP), or None."""
    head = bytes(data[:12])
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return None


def bytes_to_data_uri(data):
    """(data URI, None) for image bytes, or (None, (headline, detail)) saying why not."""
    mime = image_mime(data)
    if mime is None:
        return None, (_FAIL % "Bytes not parsable as image", "The bytes are not PNG, JPEG, GIF or WebP (they start %r)." % bytes(data[:8]))
    if len(data) > IMAGE_LIMIT:
        return None, (_FAIL % "Image too large", "The image is %.1f MB; a card embeds at most %d MB." % (len(data) / 1e6, IMAGE_LIMIT // (1024 * 1024)))
    return "data:%s;base64,%s" % (mime, base64.b64encode(bytes(data)).decode("ascii")), None


def _is_pil(obj):
    return (type(obj).__module__ or "").startswith("PIL.") and hasattr(obj, "save")


def _figure_of(obj):
    """The matplotlib Figure of a figure or of axes (anything with get_figure), else None."""
    if not (type(obj).__module__ or "").startswith("matplotlib"):
        return None
    if hasattr(obj, "savefig"):
        return obj
    get_figure = getattr(obj, "get_figure", None)
    return get_figure() if callable(get_figure) else None


def pil_to_png(image):
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


def figure_to_png(figure):
    buf = io.BytesIO()
    figure.savefig(buf, format="png")
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:  # free the figure as Metaflow does; never import pyplot just for this
        pyplot.close(figure)
    return buf.getvalue()


def to_data_uri(obj):
    """(data URI, None) for any supported image object, or (None, (headline, detail))."""
    if obj is None:
        return None, (_FAIL % "`Image` Component `src` cannot be `None`", "")
    if isinstance(obj, str):
        if obj.startswith("data:image/"):
            return obj, None
        return None, (_FAIL % "The `Image` `src` argument should be of type `bytes` or valid image base64 string", "The string does not start with data:image/.")
    try:
        if isinstance(obj, (bytes, bytearray, memoryview)):
            return bytes_to_data_uri(bytes(obj))
        if _is_pil(obj):
            return bytes_to_data_uri(pil_to_png(obj))
        figure = _figure_of(obj)
        if figure is not None:
            return bytes_to_data_uri(figure_to_png(figure))
    except Exception as e:
        return None, (_FAIL % ("%s could not be converted to PNG: %s: %s" % (type_name(obj), type(e).__name__, e)), traceback.format_exc())
    return None, (
        _FAIL % ("Invalid Type. Object %s is not supported" % type_name(obj)),
        "Supported: bytes (PNG, JPEG, GIF, WebP), a data:image/ string, PIL.Image.Image, matplotlib.figure.Figure or axes.",
    )


class Image(UserComponent):
    """An image embedded in the card. `update(image, label=None)` replaces it when updates are enabled."""

    type = "image"

    def __init__(self, src=None, label=None, disable_updates=True):
        self.REALTIME_UPDATABLE = not disable_updates
        self._set(src, label)

    def _set(self, src, label):
        self._label = label
        self._src, self._problem = to_data_uri(src)

    @classmethod
    def from_pil_image(cls, pilimage, label=None, disable_updates=False):
        """An Image of a PIL image (saved as PNG)."""
        if not _is_pil(pilimage):
            img = cls(None, label, disable_updates)
            img._problem = (_FAIL % "first argument for `Image` should be of type PIL.Image.Image", "Type of %s is invalid." % type_name(pilimage))
            return img
        return cls(pilimage, label, disable_updates)

    @classmethod
    def from_matplotlib(cls, plot, label=None, disable_updates=False):
        """An Image of a matplotlib figure or axes (saved as PNG; the figure is closed, as in Metaflow)."""
        if _figure_of(plot) is None:
            img = cls(None, label, disable_updates)
            img._problem = (_FAIL % ("Invalid Type. Object %s is not from `matplotlib`" % type_name(plot)), "")
            return img
        return cls(plot, label, disable_updates)

    def update(self, image, label=None):
        if not self.REALTIME_UPDATABLE:
            self._warn("The `Image` component is disabled for realtime updates. Please set `disable_updates` to `False` while creating the `Image` object.")
            return
        self._set(image, label if label is not None else self._label)
        self._changed()

    def _render(self):
        if self._problem is not None:
            return error_dict(*self._problem)
        out = {"type": self.type, "src": self._src}
        if self._label is not None:
            out["label"] = safe_text(self._label, 1000)
        return out
