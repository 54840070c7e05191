"""Image files as cameras and attackers make them."""

from io import BytesIO

from PIL import ExifTags, Image

#: Where the photo was taken, as a phone writes it into EXIF.
GPS = {
    ExifTags.GPS.GPSLatitudeRef: "N",
    ExifTags.GPS.GPSLatitude: (51.0, 30.0, 12.5),
    ExifTags.GPS.GPSLongitudeRef: "W",
    ExifTags.GPS.GPSLongitude: (0.0, 7.0, 40.0),
}


def camera_exif(orientation=1):
    """EXIF with a camera make, a serial number, a GPS position and an orientation."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Examplecam"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-0042"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def camera_image(image_format="JPEG", *, mode="RGB", size=(60, 40), orientation=1):
    """An image whose left half is red and right half blue, saved with `camera_exif()`."""
    image = Image.new(mode, size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    buffer = BytesIO()
    image.save(buffer, format=image_format, exif=camera_exif(orientation))
    return buffer.getvalue()


def noisy_jpeg(size=(400, 300)):
    """A JPEG that compresses badly, so its size in bytes is predictable enough to exceed."""
    buffer = BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, format="JPEG", quality=95)
    return buffer.getvalue()


def has_location(data):
    return bool(Image.open(BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo))
