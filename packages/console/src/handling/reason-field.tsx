import { Form, Input } from 'antd';

/** The API's limit on the reason of a handling event or an ignore. */
const maxReasonLength = 4000;

/**
 * The reason a handling event or a secret ignore is recorded with (`reason`, 1 to 4,000
 * characters): kept with the user and the time, for whoever reads the history. A field of the
 * enclosing form.
 */
export function ReasonField() {
  return (
    <Form.Item
      name="reason"
      label="Reason"
      rules={[
        { required: true, whitespace: true, message: 'Say why, for whoever reads the history' },
        { max: maxReasonLength, message: `At most ${maxReasonLength} characters` },
      ]}
    >
      <Input.TextArea rows={3} maxLength={maxReasonLength} showCount aria-label="Reason" />
    </Form.Item>
  );
}
