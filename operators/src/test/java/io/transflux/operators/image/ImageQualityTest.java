package io.transflux.operators.image;

import static io.transflux.operators.image.ImageFixtures.golden;
import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

/**
 * Visual quality against libvips: {@code vips-thumb-64.png} is {@code vipsthumbnail photo-160x120.jpg --size 64x64}
 * (see golden/image/recreate.sh); our lfit resize to the same geometry must reach PSNR >= 35 dB against it.
 */
class ImageQualityTest {

    static final double MIN_PSNR_DB = 35.0;

    @Test
    void downscaleMatchesVipsthumbnailWithinThePsnrTarget() throws IOException {
        BufferedImage vips = ImageIO.read(new ByteArrayInputStream(golden("vips-thumb-64.png")));
        BufferedImage ours = ImageFixtures.run("image/resize,m_lfit,w_64,h_64/format,png",
                golden("photo-160x120.jpg")).image();
        assertThat(ours.getWidth()).isEqualTo(vips.getWidth());
        assertThat(ours.getHeight()).isEqualTo(vips.getHeight());
        double psnr = psnr(ours, vips);
        System.out.printf("PSNR vs vipsthumbnail: %.2f dB%n", psnr);
        assertThat(psnr).isGreaterThanOrEqualTo(MIN_PSNR_DB);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double se = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    int d = ((p >> shift) & 0xff) - ((q >> shift) & 0xff);
                    se += d * d;
                    n++;
                }
            }
        }
        double mse = se / n;
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(255.0 * 255.0 / mse);
    }
}
