import { useEffect } from 'react';
import { useBlocker } from 'react-router-dom';
import { Modal } from 'antd';
import { useT } from '../locales';

/** Warns before leaving with unsaved changes: in-app navigation and closing or reloading the tab. */
export default function UnsavedGuard({ dirty }: { dirty: boolean }) {
  const t = useT();
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);
  return (
    <Modal
      open={blocker.state === 'blocked'}
      title={t('common.leaveTitle')}
      okText={t('common.leave')}
      cancelText={t('common.stay')}
      okButtonProps={{ danger: true, 'data-testid': 'leave-ok' }}
      onOk={() => blocker.proceed?.()}
      onCancel={() => blocker.reset?.()}
    >
      {t('common.leaveBody')}
    </Modal>
  );
}
